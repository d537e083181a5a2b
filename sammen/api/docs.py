"""The API's reference page, read from its OpenAPI schema (no script, no CDN)."""

from dataclasses import dataclass, field
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    type: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    parameters: list[Parameter] = field(default_factory=list)
    body: list[Parameter] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)


def type_of(schema: dict[str, Any]) -> str:
    """Return a short name for a JSON Schema type: "string", "integer", "Idea", "string or null"."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(type_of(part) for part in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {type_of(schema.get('items', {}))}"
    kind = str(schema.get("type", "object"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def body_fields(schema: dict[str, Any], components: dict[str, Any]) -> list[Parameter]:
    if "$ref" in schema:
        schema = components.get(str(schema["$ref"]).rsplit("/", 1)[-1], {})
    required = set(schema.get("required", []))
    return [
        Parameter(
            name=name,
            where="body",
            required=name in required,
            type=type_of(part),
            description=str(part.get("description", "")),
        )
        for name, part in schema.get("properties", {}).items()
    ]


def operations_by_tag(schema: dict[str, Any]) -> dict[str, list[Operation]]:
    """Return the schema's operations grouped by their first tag, in the schema's order."""
    components = schema.get("components", {}).get("schemas", {})
    grouped: dict[str, list[Operation]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            spec = item[method]
            operation = Operation(
                method=method.upper(),
                path=path,
                summary=str(spec.get("summary", "")),
                description=str(spec.get("description", "")),
                anchor=str(spec.get("operationId", f"{method}-{path}")),
                parameters=[
                    Parameter(
                        name=str(parameter["name"]),
                        where=str(parameter["in"]),
                        required=bool(parameter.get("required")),
                        type=type_of(parameter.get("schema", {})),
                        description=str(parameter.get("description", "")),
                    )
                    for parameter in spec.get("parameters", [])
                ],
                responses=[
                    (status, str(response.get("description", "")))
                    for status, response in spec.get("responses", {}).items()
                ],
            )
            content = spec.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                operation.body = body_fields(content["application/json"]["schema"], components)
            grouped.setdefault(spec.get("tags", ["API"])[0], []).append(operation)
    return grouped
