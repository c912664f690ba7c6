"""The tool's version, as written into every report (keep equal to galaxy.yml's version)."""

TOOL_VERSION = "0.1.0"
