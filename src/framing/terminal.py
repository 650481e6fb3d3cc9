"""Per-sentence tables in the terminal (rich): devices in colour, voice marks, sentiment."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

DEVICE_STYLES = {
    "heroic_martyrdom": "bold red", "loyalty": "bold magenta", "grief": "bold blue",
    "leader_benevolence": "bold green", "national_glory": "bold yellow", "enemy_vilification": "bold bright_red",
    "fear_appeal": "bold dark_orange", "alliance_solidarity": "bold cyan",
}
VOICE_MARKS = {"reporter": "R", "quoted": "\u201cQ\u201d", "attributed": "A\u2192"}
SENTIMENT_STYLES = {"negative": "red", "neutral": "dim", "positive": "green"}


def device_text(devices: list[str] | None) -> Text:
    """Coloured device names, or a dim note when no model scored the sentence."""
    if devices is None:
        return Text("model not trained yet", style="dim")
    if not devices:
        return Text("–", style="dim")
    out = Text()
    for i, d in enumerate(devices):
        out.append(("\n" if i else "") + d, style=DEVICE_STYLES.get(d, "bold"))
    return out


def article_table(article_id: str, records: list[dict], framing_score: float | None = None) -> Table:
    """A rich table of one article's sentence records."""
    title = f"{article_id}  ({len(records)} sentences" + (f", framing score {framing_score:.2f}" if framing_score is not None else "") + ")"
    table = Table(title=title, expand=True, show_lines=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("voice", no_wrap=True)
    table.add_column("sentence", ratio=4)
    table.add_column("devices", ratio=2, min_width=19)
    table.add_column("sentiment", no_wrap=True)
    for r in records:
        sentiment = Text(f"{r['sentiment']} {r['sentiment_score']:+.2f}", style=SENTIMENT_STYLES[r["sentiment"]]) \
            if r.get("sentiment") else Text("–", style="dim")
        table.add_row(str(r["index"]), VOICE_MARKS.get(r["voice"], r["voice"]) + " " + r["voice"], r["text"],
                      device_text(r["devices"]), sentiment)
    return table


def print_article(console: Console, article_id: str, records: list[dict], framing_score: float | None = None) -> None:
    """Print one article's table."""
    console.print(article_table(article_id, records, framing_score))
