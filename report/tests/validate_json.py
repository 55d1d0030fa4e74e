#!/usr/bin/env python3
"""A small JSON Schema validator: the keywords cxm-report.schema.json uses.

    validate_json.py SCHEMA.json CXM_REPORT ARGS...   runs the program, validates its stdout
    validate_json.py SCHEMA.json --file DOC.json      validates a file

Keywords: type, const, enum, properties, required, additionalProperties,
propertyNames, items, minItems, maxItems, minimum, maximum, pattern, oneOf,
$ref (to #/$defs/...). An unknown keyword is an error, so the schema cannot
silently say more than is checked.
"""
import json
import re
import subprocess
import sys

KNOWN = {"$schema", "$id", "title", "description", "type", "const", "enum", "properties",
         "required", "additionalProperties", "propertyNames", "items", "minItems", "maxItems",
         "minimum", "maximum", "pattern", "oneOf", "$ref", "$defs"}
TYPES = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def validate(v, s, root, path, errors):
    unknown = set(s) - KNOWN
    if unknown:
        raise SystemExit(f"schema keyword(s) not supported at {path}: {sorted(unknown)}")
    if "$ref" in s:
        node = root
        for part in s["$ref"].lstrip("#/").split("/"):
            node = node[part]
        validate(v, node, root, path, errors)
    if "type" in s:
        types = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(TYPES[t](v) for t in types):
            errors.append(f"{path}: {v!r:.60} is not {types}")
            return
    if "const" in s and v != s["const"]:
        errors.append(f"{path}: {v!r} is not {s['const']!r}")
    if "enum" in s and v not in s["enum"]:
        errors.append(f"{path}: {v!r} not in {s['enum']}")
    if "oneOf" in s:
        matches = 0
        for sub in s["oneOf"]:
            e = []
            validate(v, sub, root, path, e)
            matches += not e
        if matches != 1:
            errors.append(f"{path}: matches {matches} of the oneOf branches, not 1")
    if TYPES["number"](v):
        if "minimum" in s and v < s["minimum"]:
            errors.append(f"{path}: {v} < {s['minimum']}")
        if "maximum" in s and v > s["maximum"]:
            errors.append(f"{path}: {v} > {s['maximum']}")
    if isinstance(v, str) and "pattern" in s and not re.search(s["pattern"], v):
        errors.append(f"{path}: {v!r} does not match {s['pattern']}")
    if isinstance(v, list):
        if "minItems" in s and len(v) < s["minItems"]:
            errors.append(f"{path}: fewer than {s['minItems']} items")
        if "maxItems" in s and len(v) > s["maxItems"]:
            errors.append(f"{path}: more than {s['maxItems']} items")
        if "items" in s:
            for i, x in enumerate(v):
                validate(x, s["items"], root, f"{path}[{i}]", errors)
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                errors.append(f"{path}: {k} is missing")
        props = s.get("properties", {})
        for k, x in v.items():
            if "propertyNames" in s:
                validate(k, s["propertyNames"], root, f"{path}.{k} (name)", errors)
            if k in props:
                validate(x, props[k], root, f"{path}.{k}", errors)
            elif s.get("additionalProperties") is False:
                errors.append(f"{path}: unexpected property {k}")
            elif isinstance(s.get("additionalProperties"), dict):
                validate(x, s["additionalProperties"], root, f"{path}.{k}", errors)


def main(argv):
    schema = json.load(open(argv[1]))
    if argv[2] == "--file":
        doc = json.load(open(argv[3]))
    else:
        out = subprocess.run(argv[2:], capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stderr)
            return 1
        doc = json.loads(out.stdout)
    errors = []
    validate(doc, schema, schema, "$", errors)
    for e in errors[:50]:
        print(e)
    print(f"{len(errors)} schema violations" if errors else "valid against the schema")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
