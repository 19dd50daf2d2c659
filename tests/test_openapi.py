"""The OpenAPI document is valid and describes exactly the routes the server has."""
from __future__ import annotations

import re

from openapi_spec_validator import validate


def test_openapi_document_is_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate(response.get_json())


def test_every_api_route_is_documented_and_nothing_else(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method.upper()) for path, ops in spec["paths"].items()
                  for method in ops if method in ("get", "post", "put", "patch", "delete")}
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1"):])
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            served.add((path, method))
    assert served - documented == set(), "routes missing from openapi.json"
    assert documented - served == set(), "openapi.json describes routes that do not exist"


def test_fixed_entry_points_exist(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"post", "delete"} <= set(spec["paths"]["/session"])
    assert "get" in spec["paths"]["/meetings"]
    assert "get" in spec["paths"]["/meetings/{meeting_id}"]
