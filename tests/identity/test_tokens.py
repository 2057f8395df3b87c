"""Token verification and token-mode access, without a server: each way a token can be wrong
maps to the close code the spec declares, and no reason repeats the token or a claim."""

from __future__ import annotations

import time
from typing import Any

import pytest

from roomchat.identity.access import Credentials, OpenAccess
from roomchat.identity.identity import Identity
from roomchat.identity.subprotocols import Offer
from roomchat.identity.tokens import Grant, TokenAccess, TokenKeyError, TokenVerifier
from roomchat.protocol.close_codes import (
    WS_4401_UNAUTHORIZED,
    WS_4404_ROOM_NOT_ALLOWED,
    WS_4419_TOKEN_EXPIRED,
)
from roomchat.protocol.close_reasons import CloseReason
from tests.support.tokens import (
    SECRET,
    claims,
    ec_private_key,
    es256,
    forged,
    hmac_signed,
    hs256,
    public_pem,
    rs256,
    rsa_private_key,
    unsigned,
)

HS256_ONLY = TokenVerifier(secret=SECRET)


def _refusal(verifier: TokenVerifier, token: str) -> CloseReason:
    outcome = verifier.verify(token)
    assert isinstance(outcome, CloseReason), outcome
    assert not token or token not in outcome.text
    return outcome


def test_a_valid_hs256_token_names_its_user() -> None:
    payload = claims(sub="user-1", name="Zoë Ågren")
    grant = HS256_ONLY.verify(hs256(payload))
    assert isinstance(grant, Grant)
    assert (grant.user_id, grant.name, grant.expires_at) == ("user-1", "Zoë Ågren", payload["exp"])
    assert grant.rooms.grants("any room")


@pytest.mark.parametrize(
    ("token", "code"),
    [
        pytest.param("", WS_4401_UNAUTHORIZED, id="empty"),
        pytest.param("not-a-jwt", WS_4401_UNAUTHORIZED, id="malformed"),
        pytest.param("a.b.c", WS_4401_UNAUTHORIZED, id="garbage-segments"),
        pytest.param(forged(claims()), WS_4401_UNAUTHORIZED, id="forged"),
        pytest.param(unsigned(claims()), WS_4401_UNAUTHORIZED, id="alg-none"),
        pytest.param(rs256(claims()), WS_4401_UNAUTHORIZED, id="rs256-on-hs256-server"),
        pytest.param(hs256(claims(ttl=-10)), WS_4419_TOKEN_EXPIRED, id="expired"),
        pytest.param(forged(claims(ttl=-10)), WS_4401_UNAUTHORIZED, id="forged-and-expired"),
        pytest.param(hs256({"name": "Ann", "exp": 2**40}), WS_4401_UNAUTHORIZED, id="no-sub"),
        pytest.param(hs256({"sub": "ann", "exp": 2**40}), WS_4401_UNAUTHORIZED, id="no-name"),
        pytest.param(hs256({"sub": "ann", "name": "Ann"}), WS_4401_UNAUTHORIZED, id="no-exp"),
        pytest.param(hs256(claims(sub="")), WS_4401_UNAUTHORIZED, id="empty-sub"),
        pytest.param(hs256(claims(sub="x" * 129)), WS_4401_UNAUTHORIZED, id="long-sub"),
        pytest.param(hs256(claims(sub=7)), WS_4401_UNAUTHORIZED, id="numeric-sub"),
        pytest.param(hs256(claims(name="   ")), WS_4401_UNAUTHORIZED, id="blank-name"),
        pytest.param(hs256(claims(name="x" * 41)), WS_4401_UNAUTHORIZED, id="long-name"),
        pytest.param(hs256(claims(name="a\nb")), WS_4401_UNAUTHORIZED, id="control-name"),
        pytest.param(hs256(claims(name=["Ann"])), WS_4401_UNAUTHORIZED, id="list-name"),
        pytest.param(hs256(claims(exp="soon")), WS_4401_UNAUTHORIZED, id="text-exp"),
        pytest.param(hs256(claims(rooms="general")), WS_4401_UNAUTHORIZED, id="rooms-not-list"),
        pytest.param(hs256(claims(nbf=int(time.time()) + 600)), WS_4401_UNAUTHORIZED, id="nbf"),
        pytest.param(hs256(claims(aud="other-service")), WS_4401_UNAUTHORIZED, id="aud"),
    ],
)
def test_each_wrong_token_gets_its_close_code(token: str, code: int) -> None:
    assert _refusal(HS256_ONLY, token).code == code


def test_rs256_and_es256_verify_with_a_public_key() -> None:
    rsa_verifier = TokenVerifier(public_key=public_pem(rsa_private_key()))
    ec_verifier = TokenVerifier(public_key=public_pem(ec_private_key()))
    assert rsa_verifier.algorithms == ("RS256",)
    assert ec_verifier.algorithms == ("ES256",)
    assert isinstance(rsa_verifier.verify(rs256(claims())), Grant)
    assert isinstance(ec_verifier.verify(es256(claims())), Grant)
    # The other algorithms have no key there: refused, HS256 above all (key confusion).
    assert _refusal(rsa_verifier, es256(claims())).code == WS_4401_UNAUTHORIZED
    assert _refusal(rsa_verifier, hs256(claims())).code == WS_4401_UNAUTHORIZED
    pem_as_secret = hmac_signed(claims(), public_pem(rsa_private_key()).encode())
    assert _refusal(rsa_verifier, pem_as_secret).code == WS_4401_UNAUTHORIZED
    assert _refusal(ec_verifier, rs256(claims())).code == WS_4401_UNAUTHORIZED


def test_a_secret_and_a_public_key_together_accept_both() -> None:
    both = TokenVerifier(secret=SECRET, public_key=public_pem(ec_private_key()))
    assert both.algorithms == ("ES256", "HS256")
    assert isinstance(both.verify(es256(claims())), Grant)
    assert isinstance(both.verify(hs256(claims())), Grant)


@pytest.mark.parametrize(
    "key",
    [
        "not a pem",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    ],
)
def test_a_public_key_that_cannot_verify_is_refused_at_startup(key: str) -> None:
    with pytest.raises(TokenKeyError) as raised:
        TokenVerifier(public_key=key)
    assert key not in str(raised.value)


def test_no_key_at_all_is_refused() -> None:
    with pytest.raises(TokenKeyError):
        TokenVerifier()


def _credentials(token: str | None, *, opted_in: bool = True, **query: str) -> Credentials:
    return Credentials("c0ffee", Offer(opted_in=opted_in, token=token), query)


def _identity(outcome: Identity | CloseReason | None) -> Identity:
    assert isinstance(outcome, Identity), outcome
    return outcome


ACCESS = TokenAccess(HS256_ONLY)


def test_token_access_makes_the_identity_from_the_claims() -> None:
    payload = claims(sub="u-9", name="Bo", rooms=["team-*"])
    identity = _identity(ACCESS.identify(_credentials(hs256(payload), name="Ignored"), "team-a"))
    assert identity == Identity(
        connection_id="c0ffee",
        user_id="u-9",
        name="Bo",
        opted_in=True,
        token_expires_at=payload["exp"],
    )


def test_token_access_refuses_no_token_and_rooms_outside_the_claim() -> None:
    assert ACCESS.identify(_credentials(None), "general") == _code(WS_4401_UNAUTHORIZED)
    refused = ACCESS.identify(_credentials(hs256(claims(rooms=["a"]))), "b")
    assert isinstance(refused, CloseReason)
    assert refused.code == WS_4404_ROOM_NOT_ALLOWED


def _code(code: int) -> Any:
    class _WithCode:
        def __eq__(self, other: object) -> bool:
            return isinstance(other, CloseReason) and other.code == code

    return _WithCode()


@pytest.mark.parametrize("parameter", ["token", "access_token", "jwt", "JWT", "Access_Token"])
def test_token_access_refuses_token_parameters_in_the_query(parameter: str) -> None:
    refused = ACCESS.refuses_query({parameter: "x", "name": "Ann"})
    assert isinstance(refused, CloseReason)
    assert refused.code == WS_4401_UNAUTHORIZED
    assert ACCESS.refuses_query({"name": "Ann", "tokens": "x"}) is None
    assert OpenAccess().refuses_query({parameter: "x"}) is None


def test_refresh_extends_for_the_same_user_in_a_granted_room() -> None:
    current = _identity(ACCESS.identify(_credentials(hs256(claims(ttl=60))), "general"))
    later = claims(ttl=7200)
    refreshed = _identity(ACCESS.refresh(hs256(later), current, "general"))
    assert refreshed == Identity(
        connection_id=current.connection_id,
        user_id="ann",
        name="Ann",
        opted_in=True,
        token_expires_at=later["exp"],
    )
    assert refreshed.token_refreshed().payload.expires_at == later["exp"]


@pytest.mark.parametrize(
    ("token", "code"),
    [
        pytest.param(hs256(claims(sub="bob")), WS_4401_UNAUTHORIZED, id="another-user"),
        pytest.param(hs256(claims(rooms=["elsewhere"])), WS_4404_ROOM_NOT_ALLOWED, id="room"),
        pytest.param(hs256(claims(ttl=-1)), WS_4419_TOKEN_EXPIRED, id="expired"),
        pytest.param(forged(claims()), WS_4401_UNAUTHORIZED, id="forged"),
    ],
)
def test_refresh_refusals(token: str, code: int) -> None:
    current = _identity(ACCESS.identify(_credentials(hs256(claims())), "general"))
    refused = ACCESS.refresh(token, current, "general")
    assert isinstance(refused, CloseReason)
    assert refused.code == code
    assert token not in refused.text


def test_open_mode_has_nothing_to_refresh() -> None:
    guest = _identity(OpenAccess().identify(_credentials(None), "general"))
    assert OpenAccess().refresh(hs256(claims()), guest, "general") is None
