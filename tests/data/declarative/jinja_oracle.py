#!/usr/bin/env python3
"""Test oracle for the declarative interpolation engine: renders templates with Jinja2.

Usage: jinja_oracle.py INPUT.json
INPUT: {"context": {...}, "templates": ["...", ...]}
Prints one JSON list, one entry per template: {"text": "...", "value": ...} when it renders,
{"undefined": "..."} for jinja2's UndefinedError, {"error": "Type: message"} otherwise. "value"
is what the CDK's JinjaInterpolation.eval returns for the text (Python-literal parsing, None for
an empty text); "value_skip" replaces it when the value has no JSON form (bytes, complex keys).

The environment is set up as the Airbyte CDK sets up its own (a SandboxedEnvironment without the
`range` global). The CDK's custom filters that the differential test uses are reimplemented here
from their documented behaviour; Python only ever runs as a test oracle.
"""
import ast
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


def _jsonable(v):
    if isinstance(v, (tuple, list)):
        return [_jsonable(x) for x in v]
    if isinstance(v, set):
        return sorted((_jsonable(x) for x in v), key=repr)
    if isinstance(v, dict):
        if not all(isinstance(k, (str, int, float)) and not isinstance(k, bool) for k in v):
            raise TypeError("keys")
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (bytes, complex)):
        raise TypeError("no JSON form")
    return v


def _literal(text):
    """The value JinjaInterpolation.eval returns for rendered text (no default template)."""
    if not text:
        return {"value": None}
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return {"value": text}
    except Exception as e:  # noqa: BLE001 - the CDK lets these through
        return {"value_error": type(e).__name__}
    if isinstance(value, complex):
        return {"value": text}
    try:
        return {"value": _jsonable(value)}
    except TypeError:
        return {"value_skip": True}


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
            text = env.from_string(template).render(data["context"])
            out.append({"text": text, **_literal(text)})
        except UndefinedError as e:
            out.append({"undefined": str(e)})
        except Exception as e:  # noqa: BLE001 - any other failure is an "error" outcome
            out.append({"error": type(e).__name__ + ": " + str(e)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
