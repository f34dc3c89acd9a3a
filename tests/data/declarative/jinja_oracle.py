#!/usr/bin/env python3
"""Test oracle for the declarative interpolation engine: renders templates with Jinja2.

Usage: jinja_oracle.py INPUT.json
INPUT: {"context": {...}, "templates": ["...", ...]}
Prints one JSON list, one entry per template: {"text": "..."} when it renders,
{"undefined": "..."} for jinja2's UndefinedError, {"error": "Type: message"} otherwise.

The environment is set up as the Airbyte CDK sets up its own (a SandboxedEnvironment without the
`range` global). The CDK's custom filters that the differential test uses are reimplemented here
from their documented behaviour; Python only ever runs as a test oracle.
"""
import base64
import hashlib
import json
import re
import sys

from jinja2.exceptions import UndefinedError
from jinja2.sandbox import SandboxedEnvironment


def _hash(value, hash_type="md5", salt=None):
    h = hashlib.new(hash_type)
    h.update(str(value).encode("utf-8"))
    if salt:
        h.update(str(salt).encode("utf-8"))
    return h.hexdigest()


def _string(value):
    return value if isinstance(value, str) else '"""' + json.dumps(value) + '"""'


def _regex_search(value, regex):
    m = re.search(regex, value)
    return m.group(1) if m and m.groups() else ""


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    env = SandboxedEnvironment()
    env.globals.pop("range", None)
    env.filters.update(
        hash=_hash,
        base64encode=lambda v: base64.b64encode(v.encode("utf-8")).decode(),
        base64decode=lambda v: base64.b64decode(v.encode("utf-8")).decode(),
        string=_string,
        regex_search=_regex_search,
    )
    out = []
    for template in data["templates"]:
        try:
            out.append({"text": env.from_string(template).render(data["context"])})
        except UndefinedError as e:
            out.append({"undefined": str(e)})
        except Exception as e:  # noqa: BLE001 - any other failure is an "error" outcome
            out.append({"error": type(e).__name__ + ": " + str(e)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
