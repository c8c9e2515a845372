"""A made-up region with a made-up helpline, so nothing in the UK directory can match it (the
region rule's tests: core/region.py)."""

ISLAND_ROUTES = """region: island
name: Test Island
routes:
  - id: island-line
    name: Island Children's Line
    for: [pupils, parents, staff]
    what: A test helpline for children on the island.
    phone: "0800 555 0199"
    source: https://example.org/island
    verified: 2026-11-27
"""
