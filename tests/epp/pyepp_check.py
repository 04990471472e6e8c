#!/usr/bin/env python3
"""Checks the test suite's EPP server (tests/it/common/epp.rs) with pyepp, an EPP client
written apart from ours (PyPI, GPL-3.0; .ci/ensure-pyepp installs it in a venv, it is never
vendored). Run by tests/it/epp_wire.rs.

Usage: pyepp_check.py HOST PORT CA_FILE TAKEN_NAME TAKEN_CODE

Over TLS to HOST:PORT (trusting CA_FILE), as "other"/"other-pw": check a fresh name (free) and
TAKEN_NAME (taken, "In use"), create the fresh name, info, renew, renew again with the old
expiry (2306), transfer TAKEN_NAME with a wrong code (2202) and with TAKEN_CODE (1000), info
on it, update the fresh name's nameservers, delete it (info then 2303), logout (1500).
Prints one JSON line per step ({"step", "code", "msg", ...}); exits 1 at the first unexpected
answer, 2 on bad arguments.
"""

import datetime
import json
import os
import sys
import uuid


def report(**line):
    print(json.dumps(line, default=str), flush=True)


def fail(why):
    report(step="failed", error=why)
    sys.exit(1)


def step(name, result, expected, **extra):
    """Reports a step and stops unless its code is the expected one."""
    line = {"step": name, "code": result.code, "msg": result.message}
    if result.reason:
        line["reason"] = result.reason
    line.update(extra)
    report(**line)
    if result.code != expected:
        fail(f"{name}: expected {expected}, got {result.code} {result.message}")
    return result


def expect(condition, why):
    if not condition:
        fail(why)


def main():
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    host, port, ca_file, taken, taken_code = sys.argv[1:]
    # pyepp makes its own ssl.create_default_context(); OpenSSL takes the trust from here.
    os.environ["SSL_CERT_FILE"] = ca_file

    from pyepp import Domain, DomainData, EppCommunicator, EppCommunicatorException

    fresh = f"pyepp-{uuid.uuid4().hex[:12]}.example"
    code = "Pyepp-c0de!"
    epp = EppCommunicator(host, port)
    try:
        greeting = epp.connect().decode("utf-8")
        report(step="greeting", ok="<greeting>" in greeting and "<svID>" in greeting)
        expect("urn:ietf:params:xml:ns:domain-1.0" in greeting, "the greeting offers domains")

        step("login", epp.login("other", "other-pw"), 1000)
        domain = Domain(epp)

        result = step("check", domain.check([fresh, taken]), 1000)
        data = result.result_data
        report(step="check-data", data=data)
        expect(data[fresh]["avail"] is True, f"{fresh} is free")
        expect(data[taken]["avail"] is False and data[taken]["reason"] == "In use", f"{taken} is taken")

        new = DomainData(
            domain_name=fresh,
            period=2,
            registrant="PY-REG-1",
            admin="PY-ADM-1",
            tech="PY-TECH-1",
            host=["ns1.example.net", "ns2.example.net"],
            password=code,
        )
        step("create", domain.create(new), 1000)

        info = step("info", domain.info(fresh), 1000).result_data
        report(step="info-data", client=info.sponsoring_client_id, expiry=info.expiry_date, hosts=info.host)
        expect(info.sponsoring_client_id == "other", "the creator sponsors it")
        expect(info.password == code, "the sponsor sees its code")
        expect(info.registrant == "PY-REG-1" and info.admin == "PY-ADM-1", "registrant and admin kept")
        expect(info.host == ["ns1.example.net", "ns2.example.net"], "nameservers kept")
        expiry = datetime.date.fromisoformat(info.expiry_date[:10])

        step("renew", domain.renew(fresh, expiry, 1), 1000)
        step("renew-again", domain.renew(fresh, expiry, 1), 2306)
        renewed = step("info-renewed", domain.info(fresh), 1000).result_data
        expect(renewed.expiry_date[:10] == expiry.replace(year=expiry.year + 1).isoformat(), "one year more")

        step("transfer-wrong-code", domain.transfer(taken, "not-the-code"), 2202)
        step("transfer", domain.transfer(taken, taken_code), 1000)
        moved = step("info-transferred", domain.info(taken), 1000).result_data
        expect(moved.sponsoring_client_id == "other", "the transfer moved the domain to us")

        step(
            "update",
            domain.update(fresh, add_hosts=["ns3.example.net"], remove_hosts=["ns1.example.net"]),
            1000,
        )
        updated = step("info-updated", domain.info(fresh), 1000).result_data
        expect(updated.host == ["ns2.example.net", "ns3.example.net"], f"nameservers now {updated.host}")

        step("delete", domain.delete(fresh), 1000)
        step("info-deleted", domain.info(fresh), 2303)
        step("logout", epp.logout(), 1500)
    except EppCommunicatorException as error:
        fail(f"pyepp: {error!r} (cause: {error.__cause__!r})")
    report(step="done")


if __name__ == "__main__":
    main()
