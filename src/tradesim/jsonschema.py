"""The JSON Schema of scenario files, for editors (taplo, VS Code's Even Better TOML): generated from the
pydantic models, so it carries their descriptions, types, ranges and allowed keys.

Two things pydantic cannot see are added here: amounts and rates may be written as text (``"14.5B"``,
``"5%"``, ``"€20B"``, a claim's ``"1/6"``), and a growth component may be a bare rate (``bilateral = "5%"``);
``extends`` is a key of the file, resolved before validation (a file that extends another need not repeat
``growth``). The schema states each field's own rules; the cross-field rules (``horizon`` after ``base_year``,
one of ``rest_of_world`` and ``total``, events after the base year, a table covering every year) are for
``tradesim scenarios validate``, which checks everything.
"""

from __future__ import annotations

from typing import Any

# numbers written as text, as the parsers accept them (tradesim.quantities)
AMOUNT_TEXT = (
    r"^\s*[-+−]?\s*(?:[$€£]|[A-Z]{3}\s)?\s*(?:[0-9][0-9_,]*(?:\.[0-9_]+)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+)"
    r"\s*(?:[a-zA-Z]*)(?:\s+[A-Z]{3})?\s*$"
)
RATE_TEXT = r"^\s*[-+−]?\s*(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*%?\s*$"
SHARE_TEXT = r"^\s*[0-9.]+\s*(?:/\s*[0-9.]+|%)?\s*$"
ANY_TEXT = f"(?:{AMOUNT_TEXT})|(?:{RATE_TEXT})|(?:{SHARE_TEXT})"
PATTERNS = {
    **dict.fromkeys(
        ("bilateral", "total", "rest_of_world", "exports", "imports", "amount", "ceiling"), AMOUNT_TEXT
    ),
    "target": AMOUNT_TEXT,
    **dict.fromkeys(("rate", "after", "default", "relative"), RATE_TEXT),
    # a target's value is an amount; a claim's value, min and max are an amount, a rate or a share
    **dict.fromkeys(("value", "min", "max"), ANY_TEXT),
}


def _text_or_number(schema: dict[str, Any], pattern: str) -> dict[str, Any]:
    number = {k: v for k, v in schema.items() if k not in ("title", "description", "default")}
    kept = {k: v for k, v in schema.items() if k in ("title", "description", "default")}
    return {"anyOf": [number, {"type": "string", "pattern": pattern}], **kept}


def _numbers(node: Any, name: str = "") -> Any:
    """Let the amount and rate fields take text as well as numbers (recursively)."""
    if isinstance(node, list):
        return [_numbers(item, name) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("type") == "number" and name in PATTERNS:
        return _text_or_number(node, PATTERNS[name])
    if "anyOf" in node and name:
        flat: list[Any] = []
        for option in (_numbers(o, name) for o in node["anyOf"]):
            # a nullable number that became text-or-number: keep one level of anyOf
            flat.extend(option["anyOf"] if set(option) <= {"anyOf"} else [option])
        return {**node, "anyOf": flat}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties":
            out[key] = {k: _numbers(v, k) for k, v in value.items()}
        elif key == "additionalProperties" and name == "rates":
            out[key] = _numbers(value, "rate")
        else:
            out[key] = _numbers(value, name)
    return out


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    from tradesim.schema import GROWTH_CLASSES, GROWTH_MODELS, Scenario

    schema: dict[str, Any] = _numbers(Scenario.model_json_schema())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "tradesim scenario file"
    schema["properties"]["extends"] = {
        "type": "string",
        "description": "Inherit from another scenario: a name, a path relative to this file, or shipped:NAME.",
    }
    # the file name is the default name; growth is required unless it comes from the parent
    schema.pop("required", None)
    schema["if"] = {"not": {"required": ["extends"]}}
    schema["then"] = {"required": ["growth"]}
    names = {kind: cls.__name__ for kind, cls in GROWTH_CLASSES.items()}
    shorthand = [
        {"type": "number", "exclusiveMinimum": -1, "maximum": 10},
        {"type": "string", "pattern": RATE_TEXT},
    ]
    models = [{"$ref": f"#/$defs/{names[m]}"} for m in GROWTH_MODELS]
    growth = schema["$defs"]["Growth"]["properties"]
    for flow, prop in list(growth.items()):
        growth[flow] = {
            "anyOf": [*shorthand, *models, {"type": "null"}],
            "default": None,
            "title": prop.get("title"),
        }
    return schema
