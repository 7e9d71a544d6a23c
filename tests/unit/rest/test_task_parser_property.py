"""Property: whatever JSON a server sends as a task description, only typed errors come out."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arcgis_gp.plugin.rest import (
    ArcGisError,
    ExecuteResult,
    GPService,
    GPTask,
    JobInfo,
)

URL = "http://127.0.0.1/arcgis/rest/services/S/GPServer/T"

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
KNOWN = {
    "name": st.one_of(st.text(max_size=15), json_values),
    "dataType": st.one_of(
        st.sampled_from(["GPString", "Field", "GPMultiValue:GPLong", "GPMultiValue:", ":", ""]),
        json_values,
    ),
    "displayName": json_values,
    "direction": st.one_of(
        st.sampled_from(["esriGPParameterDirectionInput", "esriGPParameterDirectionOutput"]),
        json_values,
    ),
    "parameterType": st.one_of(
        st.sampled_from(["esriGPParameterTypeRequired", "esriGPParameterTypeDerived"]),
        json_values,
    ),
    "defaultValue": json_values,
    "choiceList": json_values,
    "filter": json_values,
    "dependency": json_values,
    "category": json_values,
    "description": json_values,
}
parameters = st.one_of(
    st.fixed_dictionaries({}, optional=KNOWN),
    st.fixed_dictionaries(
        {},
        optional={**KNOWN, "parameterInfos": st.lists(st.fixed_dictionaries({}, optional=KNOWN))},
    ),
    json_values,
)
tasks = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "name": st.one_of(st.text(max_size=15), json_values),
            "displayName": json_values,
            "executionType": st.one_of(
                st.sampled_from(["esriExecutionTypeAsynchronous", "Synchronous"]), json_values
            ),
            "helpUrl": json_values,
            "parameters": st.one_of(st.lists(parameters, max_size=5), json_values),
        },
    ),
    json_values,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tasks)
def test_task_parser_raises_only_typed_errors(data):
    try:
        task = GPTask.from_json(data, url=URL, service_path="S")
    except ArcGisError:
        return
    assert task.name
    for parameter in task.parameters:
        assert isinstance(parameter.name, str)
        assert parameter.name
        assert isinstance(parameter.data_type, str)
        _ = (parameter.base_type, parameter.item_type, parameter.is_required, parameter.is_output)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_other_parsers_raise_only_typed_errors(data):
    for parse in (
        lambda: GPService.from_json(data, url=URL, path="S"),
        lambda: JobInfo.from_json(data),
        lambda: ExecuteResult.from_json(data),
    ):
        with contextlib.suppress(ArcGisError):
            parse()
