"""What ``/verify/<code>`` (and ``GET /api/v1/credentials/verify/{code}``) can find, and the registry products add
their documents to. The kernel imports no product: products register here, from their ``AppConfig.ready()``.

How a code is answered (``selectors.verification_of``):

1. The code is normalised (``codes.normalize_code``); anything that cannot be a code is "not found" at once.
2. The kernel's own lookup: every credential it signed — score certificates, foreign-degree authentications,
   academic verification reports — in one indexed query (``selectors.credential_for_verification``, the
   revocation joined in). A hit answers, valid or not (revoked and expired answer "not found").
3. Only when no credential has the code: each registered resolver in turn, until one answers.

So the kernel's certificates and reports stay one query per verification, found or not; every resolver adds one
step to the answer for codes nobody issued (measure with ``zhijiao bench verify`` when adding one).

Registering (in the product's ``AppConfig.ready()``):

- Documents that carry a kernel credential need no resolver; they register how their kind reads on the result.
  ``hall.records`` does this for its reports (credentials of kind ``academic``)::

      register_verifier(Credential.Kind.ACADEMIC, valid_text=_("验证通过：报告有效"), issued_label=_("报告生成日期"))

- Documents with codes of their own (employment agreements, next) pass ``resolve(code) -> Verification | None``:
  given a normalised code, the product's own document as the kernel's ``Verification`` view-model when it is valid
  today, else None (missing, expired and withdrawn alike: the page must not tell them apart). Codes should come
  from ``codes.new_code`` so they never collide with the credentials' codes::

      def agreement_verification(code: str) -> Verification | None:
          agreement = Agreement.objects.filter(code=code).first()
          if agreement is None or not agreement.is_valid():
              return None
          return Verification(code=agreement.code, kind="employment_agreement", title=…, holder_name=…, …)

      register_verifier("employment_agreement", agreement_verification, valid_text=_("验证通过：协议有效"))

A kind registers once; registering it again replaces the entry (tests may register their own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .codes import format_code

type Text = str | Promise


@dataclass(frozen=True)
class Verification:
    """What the public verification page and API show for a valid code (read on the hot path, no model)."""

    code: str
    kind: str
    title: str
    holder_name: str
    holder_id_masked: str
    claims: list[list[str]]
    issuer_name: str
    issued_on: date
    valid_until: date | None
    # A product's document may word its own state (an agreement still being signed, or terminated); empty: the
    # kind's ``valid_text``.
    status_text: str = ""

    @property
    def code_display(self) -> str:
        return format_code(self.code)

    @property
    def claim_items(self) -> list[tuple[str, str]]:
        return [(str(name), str(value)) for name, value in self.claims]


type Resolve = Callable[[str], Verification | None]


@dataclass(frozen=True)
class Verifier:
    """One kind of verifiable document: how its result reads, and (for codes of its own) how to find it."""

    kind: str
    valid_text: Text
    issued_label: Text
    resolve: Resolve | None = None


_DEFAULT = Verifier(kind="", valid_text=_("验证通过：证书有效"), issued_label=_("颁发日期"))
_verifiers: dict[str, Verifier] = {}
_resolvers: list[Resolve] = []


def register_verifier(
    kind: str,
    resolve: Resolve | None = None,
    *,
    valid_text: Text | None = None,
    issued_label: Text | None = None,
) -> Verifier:
    """Declare a kind of document ``/verify/`` answers for (see the module's docstring)."""
    verifier = Verifier(
        kind=kind,
        resolve=resolve,
        valid_text=valid_text if valid_text is not None else _DEFAULT.valid_text,
        issued_label=issued_label if issued_label is not None else _DEFAULT.issued_label,
    )
    _verifiers[kind] = verifier
    _resolvers[:] = [v.resolve for v in _verifiers.values() if v.resolve is not None]
    return verifier


def unregister_verifier(kind: str) -> None:
    """Forget a kind (for tests that registered one of their own)."""
    _verifiers.pop(kind, None)
    _resolvers[:] = [v.resolve for v in _verifiers.values() if v.resolve is not None]


def verifier_of(kind: str) -> Verifier:
    """How a kind's result reads; kinds nobody registered read as the kernel's certificates."""
    return _verifiers.get(kind, _DEFAULT)


def resolvers() -> list[Resolve]:
    """The registered resolvers, in the order they were registered (asked after the kernel's own lookup missed)."""
    return _resolvers
