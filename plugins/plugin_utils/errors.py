# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Errors that name the input they come from, so an operator can fix it."""


class WebcertError(Exception):
    """Base class for input errors of webcert-fleet."""


class CatalogueError(WebcertError):
    """The control catalogue (controls/*.yml) is invalid."""


class EvidenceError(WebcertError):
    """An evidence document is unreadable or does not follow schemas/evidence.schema.json."""


class WaiverError(WebcertError):
    """The waiver file is invalid."""


class SettingsError(WebcertError):
    """A region setting is unknown or has the wrong type."""
