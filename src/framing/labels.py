"""The default label set: framing devices, sentiment classes and voices."""

DEVICES = (
    "heroic_martyrdom",
    "loyalty",
    "grief",
    "leader_benevolence",
    "national_glory",
    "enemy_vilification",
    "fear_appeal",
    "alliance_solidarity",
)
SENTIMENTS = ("negative", "neutral", "positive")
VOICES = ("reporter", "quoted", "attributed")
REGISTERS = ("state_media", "neutral", "opinion")
