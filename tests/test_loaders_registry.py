"""The loader registry is written twice, for dbt (macros/loaders/loaders.sql) and for the
CLI (saas_metrics.loaders); these tests keep the two equal and check the var rules."""

from __future__ import annotations

import jinja2
import pytest

from saas_metrics import PROJECT_ROOT
from saas_metrics.loaders import BY_NAME, LOADER_MAPPINGS, enabled_loaders


class _Returned(Exception):
    def __init__(self, value):
        self.value = value


def _raise_return(value):
    raise _Returned(value)


def dbt_loader_mappings() -> dict:
    """Evaluate the macro's dict with plain Jinja (dbt's `return` raises the value)."""
    text = (PROJECT_ROOT / "macros" / "loaders" / "loaders.sql").read_text()
    environment = jinja2.Environment(extensions=["jinja2.ext.do"])
    environment.globals["return"] = _raise_return
    module = environment.from_string(text).module
    with pytest.raises(_Returned) as returned:
        module.loader_mappings()
    return returned.value.value


def test_cli_loader_registry_equals_the_dbt_macro():
    macro = dbt_loader_mappings()
    assert set(macro) == set(BY_NAME)
    for mapping in LOADER_MAPPINGS:
        entry = macro[mapping.name]
        assert entry["source"] == mapping.source
        assert tuple(entry["tables"]) == mapping.contract_tables
        assert entry["loader_sources"] == dict(mapping.loader_sources)
        assert entry["docs"] == mapping.docs


def test_loader_vars_switch_loaders_on_and_reject_unknown_names():
    assert enabled_loaders({}) == []
    assert [m.name for m in enabled_loaders({"billing_loader": "fivetran_stripe",
                                             "activity_loader": "segment"})] == [
        "fivetran_stripe", "segment"]
    with pytest.raises(ValueError, match="Valid values: contract, fivetran_stripe"):
        enabled_loaders({"billing_loader": "stripe"})
    # a loader of another source is not valid for this one
    with pytest.raises(ValueError, match="not a loader of the crm source"):
        enabled_loaders({"crm_loader": "fivetran_stripe"})
