"""The short exception hierarchy every rule raises.

Each error carries a stable ``code`` and a message in Thai and in English; the interface maps
the families below to HTTP status codes in one place.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of everything a user can cause. Never a 500."""

    code = "domain-error"

    def __init__(self, th: str, en: str, **details: object) -> None:
        super().__init__(en)
        self.th = th
        self.en = en
        self.details = details


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    code = "not-found"


class InvalidTransition(DomainError):
    """The command is not allowed in the aggregate's current state."""

    code = "invalid-transition"


class RuleBroken(DomainError):
    """A business rule refuses the command (e.g. disbursement beyond the allocation)."""

    code = "rule-broken"


class StaleVersion(DomainError):
    """The caller acted on a version that is no longer the current one."""

    code = "stale-version"


class InvalidInput(DomainError):
    """The command's values are malformed (bad date, empty reason, unknown step)."""

    code = "invalid-input"


class FlagsToAcknowledge(InvalidInput):
    """A notice raises red flags: the signer records a note acknowledging them (``red_flags`` lists them)."""

    code = "red-flags-to-acknowledge"


class NotAuthenticated(DomainError):
    code = "not-authenticated"


class NotPermitted(DomainError):
    """The caller's role may not perform this command."""

    code = "not-permitted"


class NoAuthority(NotPermitted):
    """No power of the position, no delegation and no acting record covers the act at that time."""

    code = "no-authority"


class FourEyes(NotPermitted):
    """Whoever proposed a thing (submitted, drafted, registered) may not approve or sign it."""

    code = "four-eyes"


class Unavailable(DomainError):
    """Something the deployment must provide is missing (e.g. the OCDS schema not yet set up): 503."""

    code = "unavailable"


class TooManyRequests(DomainError):
    """Too many attempts from one client in a short time (429)."""

    code = "too-many-requests"
