# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The tool's version, as written into every report (keep equal to galaxy.yml's version)."""

TOOL_VERSION = "0.1.0"
