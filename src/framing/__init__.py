"""framing: find how news sentences are framed.

Framing devices, sentiment and voice per sentence; batch scoring of articles; reports; and
a comparison of state-media phrasing with neutral reporting. Heavy dependencies (torch,
transformers) are imported only by the modules that need them, so importing the package is cheap.
"""

__version__ = "0.1.0"
