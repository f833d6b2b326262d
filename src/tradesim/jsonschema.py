"""The JSON Schema of scenario files, for editors (taplo, VS Code's Even Better TOML): generated from the
pydantic models, so it carries their descriptions, types, ranges and allowed keys.

Two things pydantic cannot see are added here: amounts and rates may be written as text (``"14.5B"``,
``"5%"``, ``"€20B"``, a claim's ``"1/6"``), and a growth component may be a bare rate (``bilateral = "5%"``);
``extends`` is a key of the file, resolved before validation (a file that extends another need not repeat
``growth``). The schema states each field's own rules and the keys that exclude each other (``amount`` or
``relative``, not both: :data:`EXCLUSIVE`); the other cross-field rules (``horizon`` after ``base_year``, at least
one of ``rest_of_world`` and ``total``, events after the base year, a table covering every year) are for
``tradesim scenarios validate``, which checks everything.

It is written for the language server editors run (taplo's, in VS Code's Even Better TOML): the keys of a
growth table reachable through ``anyOf`` (the server follows no ``if``/``then``), and every message one line in
words (:func:`_text`, :func:`_exclusive`), tested with that server in ``tests/cli/test_editor.py``.
"""

from __future__ import annotations

import re
from typing import Any


def _any_case(word: str) -> str:
    """A regular expression matching ``word`` in any case (JSON Schema patterns have no case flag)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else re.escape(c) for c in word)


def _amount_text() -> str:
    """Amounts written as text, exactly the forms :func:`tradesim.quantities.parse_money` reads: a sign, a
    currency symbol or code, a number, a scale it knows (``B``, ``bn``, ``billion``, ``bln``, ``mld``,
    ``млрд`` …) or a three-letter code, and a code after it."""
    from tradesim.quantities import _SCALES

    scales = "|".join(_any_case(w) for w in sorted((w for w in _SCALES if w), key=len, reverse=True))
    number = r"(?:[0-9][0-9_,]*(?:\.[0-9_]+)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+)"
    code = "[A-Za-z]{3}"
    # a symbol or code before the number takes a scale only; without one, a code may follow (one currency)
    before = rf"(?:[$€£]|{code}\s)\s*{number}\s*(?:(?:{scales})\.?)?"
    plain = rf"{number}\s*(?:(?:{scales})\.?(?:\s+{code})?|{code}\.?)?"
    return rf"^\s*[-+−]?\s*(?:{before}|{plain})\s*$"


AMOUNT_TEXT = _amount_text()
POSITIVE_AMOUNT_TEXT = AMOUNT_TEXT.replace("[-+−]?", "[+]?", 1)
RATE_TEXT = r"^\s*[-+−]?\s*(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*%?\s*$"
SHARE_TEXT = r"^\s*[0-9.]+\s*(?:/\s*[0-9.]+|%)?\s*$"
ANY_TEXT = f"(?:{AMOUNT_TEXT})|(?:{RATE_TEXT})|(?:{SHARE_TEXT})"
LEG_SHARE_TEXT = f"^from data$|{SHARE_TEXT}"
# What each kind of text looks like, in the words an editor shows when a value is not in it ("… was expected"):
# a message names the form, never the pattern (see _text)
FORMS = {
    AMOUNT_TEXT: "an amount, such as 20B, 20 bn, €15B or 1.5 million USD",
    POSITIVE_AMOUNT_TEXT: "a positive amount, such as 20B, 20 bn, €15B or 1.5 million USD",
    RATE_TEXT: "a rate, such as 5%, -2.5% or 0.05",
    ANY_TEXT: "an amount (20B), a rate (5%) or a share (1/6)",
    LEG_SHARE_TEXT: "a share, such as 90%, 0.9, 1/6 or from data",
}
COUNTRY = "a country's ISO 3166 alpha-3 code, such as KAZ or ITA"
PATTERNS = {
    **dict.fromkeys(
        ("bilateral", "total", "rest_of_world", "exports", "imports", "amount", "ceiling"), AMOUNT_TEXT
    ),
    "target": AMOUNT_TEXT,
    **dict.fromkeys(("rate", "after", "default", "relative"), RATE_TEXT),
    # a target's value is an amount; a claim's value, min and max are an amount, a rate or a share
    **dict.fromkeys(("value", "min", "max"), ANY_TEXT),
}


def _named(condition: dict[str, Any], form: str) -> dict[str, Any]:
    """A value meeting ``condition``, refused otherwise with the form it should have: ``"a rate, such as 5%,
    …" was expected``. The validators editors run (taplo's, jsonschema's) print a pattern that fails whole, a
    thousand characters of regular expression, or an enum's every member; the one keyword whose message is the
    schema's own text is ``const``, so a value out of the condition is compared with a constant that names the
    form. (That text itself passes the schema; ``tradesim scenarios validate`` refuses it.)"""
    return {"if": condition, "else": {"const": form}}


def _text(pattern: str) -> dict[str, Any]:
    """Text in ``pattern``, refused in the words of :data:`FORMS`."""
    return _named({"pattern": pattern}, FORMS[pattern])


def _text_or_number(schema: dict[str, Any], pattern: str, *, nullable: bool = False) -> dict[str, Any]:
    """A number, or text in ``pattern``: one branch by the value's type, so that an editor names what is
    wrong with the value ("does not match", "less than the minimum") rather than "not valid under any of the
    given schemas"."""
    labels = ("title", "description", "default")
    constraints = {k: v for k, v in schema.items() if k not in (*labels, "type")}
    kept = {k: v for k, v in schema.items() if k in labels}
    types = ["number", "string", *(["null"] if nullable else [])]
    if constraints.get("exclusiveMinimum") == 0 and pattern == AMOUNT_TEXT:  # a positive amount: no sign
        pattern = POSITIVE_AMOUNT_TEXT
    return {
        "type": types,
        "if": {"type": "string"},
        "then": _text(pattern),
        "else": constraints,
        **kept,
    }


def _numbers(node: Any, name: str = "") -> Any:
    """Let the amount and rate fields take text as well as numbers (recursively)."""
    if isinstance(node, list):
        return [_numbers(item, name) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("type") == "number" and name in PATTERNS:
        return _text_or_number(node, PATTERNS[name])
    options = node.get("anyOf")
    if options and name in PATTERNS and {o.get("type") for o in options} == {"number", "null"}:
        number = next(o for o in options if o.get("type") == "number")
        rest = {k: v for k, v in node.items() if k != "anyOf"}
        return _text_or_number({**number, **rest}, PATTERNS[name], nullable=True)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties":
            out[key] = {k: _numbers(v, k) for k, v in value.items()}
        elif key == "additionalProperties" and name == "rates":
            out[key] = _numbers(value, "rate")
        else:
            out[key] = _numbers(value, name)
    return out


def field_docstrings() -> dict[str, dict[str, str]]:
    """Class name → field name → the docstring written under the field in :mod:`tradesim.schema` (the string
    statement right after its annotation), read from the module's source with :mod:`ast`."""
    import ast
    import inspect
    import textwrap

    from tradesim import schema as module

    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(inspect.getsource(module)).body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields: dict[str, str] = {}
        for this, after in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(this, ast.AnnAssign)
                and isinstance(this.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                fields[this.target.id] = textwrap.dedent(after.value.value).strip()
        found[node.name] = fields
    return found


def _with_field_docstrings(schema: dict[str, Any], root: str) -> dict[str, Any]:
    """Each model's properties given their fields' docstrings as descriptions (where none is set), a field
    written in a base class with the base class's docstring."""
    from tradesim import schema as module

    docs = field_docstrings()
    models = [(root, schema), *schema.get("$defs", {}).items()]
    for name, model in models:
        cls = getattr(module, name, None)
        lineage = [c.__name__ for c in getattr(cls, "__mro__", ())] or [name]
        for field, prop in model.get("properties", {}).items():
            written = next((docs[c][field] for c in lineage if field in docs.get(c, {})), None)
            if written is not None and "description" not in prop:
                prop["description"] = written
    return schema


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    from tradesim.codes import country_codes
    from tradesim.schema import GROWTH_CLASSES, Scenario

    schema: dict[str, Any] = _numbers(_with_field_docstrings(Scenario.model_json_schema(), "Scenario"))
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
    schema["description"] = ROOT
    for entry in (
        "Event",
        "Target",
        "Claim",
        "Leg",
    ):  # the lists `extends` replaces, unless an entry says append
        schema["$defs"][entry]["properties"]["append"] = {
            "type": "boolean",
            "description": "With `extends`: add this list's entries to the parent's instead of replacing them.",
        }
    schema["$defs"]["Target"]["properties"]["value"]["then"] = _text(POSITIVE_AMOUNT_TEXT)  # not a share
    schema["$defs"]["Country"] = {"enum": sorted(country_codes())}
    for key in ("reporter", "partner"):
        schema["properties"][key] = {
            **schema["properties"][key],
            # the codes to complete (an editor's language server follows anyOf, and `true` keeps it from
            # refusing anything); the check, naming the form rather than listing 250 codes
            "anyOf": [{"$ref": "#/$defs/Country"}, True],
            "if": {"type": "string"},
            "then": _named({"$ref": "#/$defs/Country"}, COUNTRY),
        }
    names = {kind: cls.__name__ for kind, cls in GROWTH_CLASSES.items()}
    schema["$defs"]["GrowthKeys"] = _growth_keys(names, schema["$defs"])
    schema["$defs"]["GrowthTable"] = _growth_table(names)
    leg = schema["$defs"]["Leg"]["properties"]
    leg["share"] = {
        "type": ["number", "string", "null"],
        "if": {"type": "string"},
        "then": _text(LEG_SHARE_TEXT),
        "else": {"if": {"type": "number"}, "then": {"exclusiveMinimum": 0, "exclusiveMaximum": 1}},
        "default": None,
        "title": "Share",
        "description": leg["share"].get("description", ""),
    }
    growth = schema["$defs"]["Growth"]["properties"]
    flows = [(growth, flow, prop) for flow, prop in growth.items()] + [(leg, "growth", leg["growth"])]
    for table, flow, prop in flows:
        table[flow] = {
            # one branch by the value's type, one model by its `model` key: an editor then reports the key
            # that is wrong ("'rat' was unexpected"), not "not valid under any of the schemas"
            "type": ["number", "string", "object", "null"],
            # the keys an editor completes and explains inside [growth.bilateral]: taplo's language server
            # follows anyOf (not if/then); `true` keeps the branch from refusing anything
            "anyOf": [{"$ref": "#/$defs/GrowthKeys"}, True],
            "if": {"type": "object"},
            "then": {"$ref": "#/$defs/GrowthTable"},
            "else": {
                "if": {"type": "string"},
                "then": _text(RATE_TEXT),
                "else": {"if": {"type": "number"}, "then": {"exclusiveMinimum": -1, "maximum": 10}},
            },
            **({"default": None} if table is growth else {}),
            "title": prop.get("title"),
            "description": prop.get("description", ""),
        }
    for name, rules in EXCLUSIVE.items():
        schema["$defs"][name].update(_exclusive(rules))
    finished: dict[str, Any] = _markdown(_nullable(schema))
    return finished


# Keys a scenario may not give together, as the loader refuses them: model → (the key the message is put on,
# the keys it excludes, the message). Said in the schema so that an editor flags them as the loader would.
EXCLUSIVE: dict[str, list[tuple[str, list[str], str]]] = {
    "Event": [("relative", ["amount"], "either amount or relative, not both")],
    "Leg": [("amount", ["share"], "either share or amount, not both")],
    "Baseline": [
        ("bilateral_period", ["bilateral"], "either bilateral or bilateral_period, not both"),
        ("rest_of_world", ["total"], "either total or rest_of_world, not both"),
    ],
    "Growth": [
        ("rest_of_world", ["total"], "either rest_of_world or total, not both"),
        ("bilateral", ["exports", "imports"], "either bilateral or exports and imports, not both"),
    ],
    "Claim": [("at", ["year"], "either year or at, not both")],
    "Expectation": [("at", ["year"], "either year or at, not both")],
}


def _exclusive(rules: list[tuple[str, list[str], str]]) -> dict[str, Any]:
    """``if`` both a key and one it excludes are given, ``then`` the key is refused with the message (a
    ``const``, as in :func:`_text`: one line at the key, in words). Several rules on one table are chained
    through ``then`` and ``else``, a table having one ``if`` (``allOf`` would hide the table's keys from
    taplo's completion)."""
    if not rules:
        return {}
    (key, others, message), rest = rules[0], rules[1:]
    after = _exclusive(rest)
    return {
        "if": {"required": [key], "anyOf": [{"required": [other]} for other in others]},
        "then": {"properties": {key: {"const": message}}, **after},
        **({"else": after} if after else {}),
    }


ROOT = (
    "A tradesim scenario: one country's trade with one partner, projected from a base year with growth "
    "assumptions, read against targets. Every key is described in the README (Scenario files); "
    "`tradesim scenarios validate FILE` checks what a schema cannot (horizon after base_year, one of "
    "rest_of_world and total, events after the base year)."
)


def _growth_keys(names: dict[str, str], definitions: dict[str, Any]) -> dict[str, Any]:
    """Every growth model's keys in one table, each with its description and the models it belongs to, and no
    constraint of its own: what an editor's language server (taplo, the Even Better TOML extension) completes
    and explains inside ``[growth.bilateral]``. It decides nothing: :func:`_growth_table` does."""
    from tradesim.schema import GROWTH_MODELS

    keys: dict[str, dict[str, Any]] = {}
    for kind in GROWTH_MODELS:
        for key, prop in definitions[names[kind]].get("properties", {}).items():
            if key == "model":
                continue
            entry = keys.setdefault(key, {"models": [], "description": prop.get("description", "")})
            entry["models"].append(kind)
    named = {
        key: {"description": f"{entry['description']} (model: {', '.join(entry['models'])})".strip()}
        for key, entry in keys.items()
    }
    return {"type": "object", "properties": {"model": _model_key(), **named}}


def _model_key() -> dict[str, Any]:
    from tradesim.schema import GROWTH_MODELS

    return {
        "enum": list(GROWTH_MODELS),
        "description": "The growth model: " + ", ".join(GROWTH_MODELS) + " (default: constant).",
    }


def _growth_table(names: dict[str, str]) -> dict[str, Any]:
    """A growth table: its ``model`` chooses the definition it must match (no ``model``: constant), and
    each model refuses keys it does not have."""
    from tradesim.schema import GROWTH_MODELS

    chosen = [
        {
            "if": {"required": ["model"], "properties": {"model": {"const": kind}}},
            "then": {"$ref": f"#/$defs/{names[kind]}"},
        }
        for kind in GROWTH_MODELS
    ]
    return {
        "type": "object",
        "description": "A growth model: `model` (default constant) and its keys.",
        "properties": {"model": _model_key()},
        "allOf": [
            *chosen,
            {"if": {"not": {"required": ["model"]}}, "then": {"$ref": f"#/$defs/{names['constant']}"}},
        ],
    }


def _nullable(node: Any) -> Any:
    """``anyOf: [{type: integer, ...}, {type: null}]`` as ``{type: [integer, null], ...}``: the same rule, and
    an editor then says "'soon' is not of type 'integer', 'null'" instead of "not valid under any of"."""
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    options = node.get("anyOf")
    if (
        isinstance(options, list)
        and len(options) == 2
        and {"type": "null"} in options
        and all(isinstance(o.get("type"), str) and "$ref" not in o and "anyOf" not in o for o in options)
    ):
        kept = next(o for o in options if o != {"type": "null"})
        rest = {k: v for k, v in node.items() if k != "anyOf"}
        return _nullable({**kept, **rest, "type": [kept["type"], "null"]})
    return {k: _nullable(v) for k, v in node.items()}


def _markdown(node: Any) -> Any:
    """Descriptions as an editor shows them (Markdown): the docstrings' ``code`` becomes `code`."""
    if isinstance(node, list):
        return [_markdown(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        k: v.replace("``", "`") if k == "description" and isinstance(v, str) else _markdown(v)
        for k, v in node.items()
    }


def key_table() -> str:
    """Every key of a scenario file with the description an editor shows, as a Markdown table (the README's
    "Every key" section is this text; a test keeps them the same)."""
    from tradesim.schema import GROWTH_CLASSES

    schema = scenario_schema()
    defs = schema["$defs"]
    sections: list[tuple[str, dict[str, Any]]] = [("", schema["properties"])]
    for key, title in (
        ("Baseline", "[baseline]."),
        ("Growth", "[growth]."),
        ("Event", "[[events]]."),
        ("Target", "[[targets]]."),
        ("Claim", "[[claims]]."),
        ("Expectation", "[[expect]]."),
    ):
        sections.append((title, defs[key]["properties"]))
    for kind, cls in GROWTH_CLASSES.items():
        sections.append((f"[growth.FLOW] model = {kind}: ", defs[cls.__name__]["properties"]))
    lines = ["| key | what it is |", "| --- | --- |"]
    for prefix, properties in sections:
        for name, prop in properties.items():
            if prefix.startswith("[growth.FLOW]") and name == "model":
                continue
            text = prop.get("description", "").replace("|", "\\|").replace("\n", " ")
            lines.append(f"| `{prefix}{name}` | {text} |")
    return "\n".join(lines)
