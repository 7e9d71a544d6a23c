"""Reading GP input values the way ArcGIS Server does, one function per GP data type.

Two kinds of problems are kept apart, as on a real server: a value that cannot be read at
all (broken JSON, ``"abc"`` for a GPLong) is a REST error of the request
(:class:`InputError`); a value that reads but breaks the tool's rules (missing required
value, not in the choice list, out of range) fails the *tool* (:func:`validate`), so a
synchronous run answers an error and an asynchronous job ends ``esriJobFailed``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from osgeo import ogr

from . import geometry, spatialref
from .featureset import FeatureSet, field_def
from .registry import Parameter

FEATURE_TYPES = {"GPFeatureRecordSetLayer", "GPRecordSet", "GPFeatureSet", "GPRecordSetLayer"}
FILE_TYPES = {"GPRasterDataLayer", "GPRasterData", "GPDataFile", "GPRasterLayer"}
STRING_TYPES = {"GPString", "GPStringHidden", "GPSQLExpression"}


class InputError(ValueError):
    """A value that cannot be read: the request fails with a REST error."""


@dataclass
class InputFile:
    """A file input, already on the server's disk (uploaded item or fetched URL)."""

    path: Path
    reference: dict[str, Any]  # what the client sent: {"itemID": ...} or {"url": ...}

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class InputSources:
    """Where referenced inputs come from: this service's uploads, and loopback URLs."""

    upload_path: Callable[[str], Path | None]
    #: Fetches a URL, with extra request headers when given (a layer's token).
    fetch: Callable[..., bytes]
    scratch_dir: Path


def is_loopback_url(url: str) -> bool:
    """Only http(s) URLs to 127.0.0.0/8, ::1 or localhost may be fetched."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return False
    if parsed.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parsed.hostname).is_loopback
    except ValueError:
        return False


def _decode(raw: Any) -> Any:
    """JSON-decode a form string when it holds JSON; other values pass through."""
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    if text[:1] in ("{", "[") or text in ("true", "false", "null"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(f"invalid JSON ({error.msg} at position {error.pos})") from None
    return raw


def _as_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise InputError("expected an integer")
    if isinstance(raw, int):
        return raw
    try:
        number = float(str(raw).strip())
    except ValueError:
        raise InputError(f"expected an integer, got {str(raw)[:40]!r}") from None
    if not number.is_integer():
        raise InputError(f"expected an integer, got {raw!r}")
    return int(number)


def _as_float(raw: Any) -> float:
    if isinstance(raw, bool):
        raise InputError("expected a number")
    try:
        return float(raw if not isinstance(raw, str) else raw.strip())
    except (TypeError, ValueError):
        raise InputError(f"expected a number, got {str(raw)[:40]!r}") from None


def _as_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise InputError(f"expected true or false, got {str(raw)[:40]!r}")


def _as_date(raw: Any) -> int:
    """GPDate: epoch milliseconds; an ISO 8601 text is accepted too."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return int(raw)
    text = str(raw).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"expected a date in epoch milliseconds, got {text[:40]!r}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return int(value.timestamp() * 1000)


def _as_object(raw: Any, keys: tuple[str, ...], what: str) -> dict[str, Any]:
    value = _decode(raw)
    if not isinstance(value, dict) or any(k not in value for k in keys):
        raise InputError(f"expected a {what} object with {', '.join(keys)}")
    return value


#: The unit names each unit type takes (ArcGIS REST reference, GP data types), the key of
#: its number, and the unit a value without one gets ("If you don't provide a unit type,
#: esriMeters will be used"; esriTimeUnitsUnknown for time; an areal unit needs one).
UNIT_TYPES: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "GPLinearUnit": (
        "distance",
        (
            "esriUnknownUnits", "esriInches", "esriPoints", "esriFeet", "esriYards",
            "esriMiles", "esriNauticalMiles", "esriMillimeters", "esriCentimeters",
            "esriMeters", "esriKilometers", "esriDecimalDegrees", "esriDecimeters",
            "esriIntInches", "esriIntFeet", "esriIntYards", "esriIntMiles",
            "esriIntNauticalMiles",
        ),
        "esriMeters",
    ),
    "GPArealUnit": (
        "area",
        (
            "esriUnknownAreaUnits", "esriSquareInches", "esriSquareFeet", "esriSquareYards",
            "esriAcres", "esriSquareMiles", "esriSquareMillimeters", "esriSquareCentimeters",
            "esriSquareDecimeters", "esriSquareMeters", "esriAres", "esriHectares",
            "esriSquareKilometers", "esriSquareInchesUS", "esriSquareFeetUS",
            "esriSquareYardsUS", "esriAcresUS", "esriSquareMilesUS",
        ),
        None,
    ),
    "GPTimeUnit": (
        "time",
        (
            "esriTimeUnitsUnknown", "esriTimeUnitsMilliseconds", "esriTimeUnitsSeconds",
            "esriTimeUnitsMinutes", "esriTimeUnitsHours", "esriTimeUnitsDays",
            "esriTimeUnitsWeeks", "esriTimeUnitsMonths", "esriTimeUnitsYears",
            "esriTimeUnitsDecades", "esriTimeUnitsCenturies",
        ),
        "esriTimeUnitsUnknown",
    ),
}  # fmt: skip


def _unit_key(name: str) -> str:
    """``esriSquareFeetUS``, ``SquareFootUS`` and ``Square Feet US`` all give one key: the
    text forms ArcGIS reads ("3 SquareKilometers", "1 Week") in plural or singular."""
    key = name.strip().lower().replace(" ", "").replace("_", "")
    for prefix in ("esritimeunits", "esri"):
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    us = ""
    if key.endswith("us") and len(key) > 2:
        key, us = key[:-2], "us"
    key = key.replace("feet", "foot").replace("inches", "inch").replace("centuries", "century")
    return key.removesuffix("s") + us


def unit_name(data_type: str, name: Any) -> str | None:
    """The Esri unit name for a unit of ``data_type`` written either way, or None."""
    units = UNIT_TYPES[data_type][1]
    if not isinstance(name, str):
        return None
    if name in units:
        return name
    key = _unit_key(name)
    return next((unit for unit in units if _unit_key(unit) == key), None)


def _unit(data_type: str, raw: Any, default: Any) -> dict[str, Any]:
    """A GPLinearUnit, GPArealUnit or GPTimeUnit: ``{<key>: n, "units": …}`` or ``"n Unit"``.

    A unit name the type does not have is a bad value, as on ArcGIS Server.
    """
    key, _, missing_unit = UNIT_TYPES[data_type]
    value = _decode(raw)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = {key: value, "units": (default or {}).get("units", missing_unit)}
    elif isinstance(value, str):
        number, _, unit = value.strip().partition(" ")
        value = {key: number, "units": unit.strip() or missing_unit}
    if not isinstance(value, dict) or key not in value:
        raise InputError(f"expected a {data_type} object with {key} and units")
    given = value.get("units", missing_unit)
    if given is None:
        raise InputError(f"a {data_type} needs units")
    units = unit_name(data_type, given)
    if units is None:
        raise InputError(f"invalid unit {given!r} for {data_type}")
    return {key: _as_float(value[key]), "units": units}


def _field(raw: Any) -> dict[str, Any]:
    value = _decode(raw)
    if isinstance(value, str):
        return {"name": value}
    if not isinstance(value, dict) or "name" not in value:
        raise InputError("expected a field name or a field object with a name")
    return value


def _spatial_reference(raw: Any) -> dict[str, Any]:
    value = _decode(raw)
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return {"wkid": int(value)}
    if not isinstance(value, dict) or not ({"wkid", "latestWkid", "wkt"} & set(value)):
        raise InputError("expected a spatial reference with wkid or wkt")
    return value


def _extent(raw: Any) -> Any:
    value = _decode(raw)
    if isinstance(value, str) and value.upper() in ("DEFAULT", "MAXOF", "MINOF", "DISPLAY"):
        return value.upper()
    return _as_object(value, ("xmin", "ymin", "xmax", "ymax"), "extent")


def _file(raw: Any, sources: InputSources) -> InputFile:
    value = _decode(raw)
    if isinstance(value, str):
        value = {"url": value}
    if not isinstance(value, dict):
        raise InputError('expected {"itemID": ...} or {"url": ...}')
    if "itemID" in value:
        path = sources.upload_path(str(value["itemID"]))
        if path is None:
            raise InputError(f"upload item {value['itemID']!r} not found on this service")
        return InputFile(path=path, reference=value)
    if "url" in value:
        url = str(value["url"])
        data = sources.fetch(url)
        name = Path(urllib.parse.urlsplit(url).path).name or "download"
        folder = sources.scratch_dir / "inputs"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        target.write_bytes(data)
        return InputFile(path=target, reference=value)
    raise InputError('expected {"itemID": ...} or {"url": ...}')


def _features_from_file(path: Path, default_sr: Any) -> FeatureSet:
    """An uploaded feature file (Esri JSON, GeoJSON, zipped shapefile, GeoPackage)."""
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise InputError(f"uploaded file {path.name!r} is not JSON") from None
        if isinstance(data, dict) and data.get("type") != "FeatureCollection":
            return FeatureSet.from_json(data, default_sr=default_sr)
    name = f"/vsizip/{path}" if path.suffix.lower() == ".zip" else str(path)
    dataset = ogr.Open(name)
    if dataset is None or dataset.GetLayerCount() == 0:
        raise InputError(f"uploaded file {path.name!r} holds no features")
    return _features_from_ogr_layer(dataset.GetLayer(0))


_OGR_FIELD_TYPES = {
    ogr.OFTInteger: "esriFieldTypeInteger",
    ogr.OFTInteger64: "esriFieldTypeInteger",
    ogr.OFTReal: "esriFieldTypeDouble",
    ogr.OFTString: "esriFieldTypeString",
    ogr.OFTDate: "esriFieldTypeDate",
    ogr.OFTDateTime: "esriFieldTypeDate",
}


def _features_from_ogr_layer(layer) -> FeatureSet:
    definition = layer.GetLayerDefn()
    fields = [field_def("OBJECTID", "esriFieldTypeOID")]
    names = []
    for index in range(definition.GetFieldCount()):
        field = definition.GetFieldDefn(index)
        names.append(field.GetName())
        fields.append(
            field_def(field.GetName(), _OGR_FIELD_TYPES.get(field.GetType(), "esriFieldTypeString"))
        )
    srs = layer.GetSpatialRef()
    features = []
    for number, feature in enumerate(layer, start=1):
        attributes: dict[str, Any] = {"OBJECTID": number}
        for name in names:
            attributes[name] = feature.GetField(name)
        geom = feature.GetGeometryRef()
        item: dict[str, Any] = {"attributes": attributes}
        esri = geometry.from_ogr(geom) if geom is not None else None
        if esri:
            item["geometry"] = esri
        features.append(item)
    first = next((f["geometry"] for f in features if "geometry" in f), None)
    return FeatureSet(
        geometry_type=geometry.geometry_type_of(first),
        spatial_reference=spatialref.sr_to_json(srs) if srs is not None else spatialref.WGS84,
        fields=fields,
        features=features,
    )


def _features(raw: Any, parameter: Parameter, sources: InputSources) -> FeatureSet | None:
    value = _decode(raw)
    if value in ("", None):
        return None
    if not isinstance(value, dict):
        raise InputError("expected a FeatureSet object")
    default = parameter.default if isinstance(parameter.default, dict) else {}
    default_sr = default.get("spatialReference")
    default_type = default.get("geometryType")
    if parameter.data_type == "GPRecordSet":
        default_type = None
    try:
        if "itemID" in value:
            return _features_from_file(_file(value, sources).path, default_sr)
        if "url" in value and "features" not in value:
            url = _feature_query_url(str(value["url"]), value.get("filter"))
            token = value.get("serviceToken")
            # The layer's server gets the token as a client would send it (a header).
            data = (
                sources.fetch(url, {"X-Esri-Authorization": f"Bearer {token}"})
                if token
                else sources.fetch(url)
            )
            fetched = _decode(data.decode("utf-8"))
            if not isinstance(fetched, dict) or "error" in fetched:
                raise InputError(f"the feature URL answered an error: {str(fetched)[:200]}")
            return FeatureSet.from_json(
                fetched, default_sr=default_sr, default_geometry_type=default_type
            )
        return FeatureSet.from_json(
            value, default_sr=default_sr, default_geometry_type=default_type
        )
    except InputError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, RuntimeError) as error:
        raise InputError(f"not a valid FeatureSet: {error}") from None


def _feature_query_url(url: str, where: Any) -> str:
    """A layer URL becomes its ``/query``; a ``filter`` becomes the where clause."""
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    path = parts.path
    if not path.rstrip("/").endswith("/query"):
        path = path.rstrip("/") + "/query"
    if where:
        query["where"] = str(where)
    query.setdefault("where", "1=1")
    query.setdefault("outFields", "*")
    query["f"] = "json"
    return urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc, path, urllib.parse.urlencode(query), "")
    )


def _value_table(raw: Any, parameter: Parameter) -> list[list[Any]]:
    value = _decode(raw)
    if not isinstance(value, list):
        raise InputError("expected an array of rows")
    columns = parameter.description.get("parameterInfos") or []
    rows: list[list[Any]] = []
    for item in value:
        row = [item.get(c.get("name")) for c in columns] if isinstance(item, dict) else item
        if not isinstance(row, list):
            raise InputError("each value table row must be an array")
        if columns and len(row) != len(columns):
            raise InputError(f"each row needs {len(columns)} values")
        cells = []
        for index, cell in enumerate(row):
            column_type = columns[index]["dataType"] if columns else "GPString"
            cells.append(None if cell is None else parse_value(column_type, cell, parameter, None))
        rows.append(cells)
    return rows


def parse_value(data_type: str, raw: Any, parameter: Parameter, sources: Any) -> Any:
    """One value of one GP type (raises :class:`InputError`)."""
    if data_type.startswith("GPMultiValue:"):
        item_type = data_type.split(":", 1)[1]
        value = _decode(raw)
        if isinstance(value, str):
            value = [v for v in value.split(";") if v != ""]
        if not isinstance(value, list):
            raise InputError("expected an array")
        return [parse_value(item_type, item, parameter, sources) for item in value]
    if data_type in STRING_TYPES:
        return raw if isinstance(raw, str) else json.dumps(raw)
    if data_type == "GPLong":
        return _as_int(raw)
    if data_type == "GPDouble":
        return _as_float(raw)
    if data_type == "GPBoolean":
        return _as_bool(raw)
    if data_type == "GPDate":
        return _as_date(raw)
    if data_type in UNIT_TYPES:
        default = parameter.default if isinstance(parameter.default, dict) else None
        return _unit(data_type, raw, default)
    if data_type in FEATURE_TYPES:
        return _features(raw, parameter, sources)
    if data_type in FILE_TYPES:
        return _file(raw, sources)
    if data_type == "GPValueTable":
        return _value_table(raw, parameter)
    if data_type in ("GPField", "Field"):
        return _field(raw)
    if data_type in ("GPSpatialReference", "GPCoordinateSystem"):
        return _spatial_reference(raw)
    if data_type in ("GPExtent", "GPEnvelope"):
        return _extent(raw)
    return _decode(raw)  # unknown types travel as raw JSON or text


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def parse_inputs(
    parameters: list[Parameter], form: Mapping[str, str], sources: InputSources
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Parsed inputs and their JSON echo (for ``jobs/<id>/inputs/<name>``).

    A parameter the client did not send takes its default, as on ArcGIS Server.
    """
    parsed: dict[str, Any] = {}
    echo: dict[str, Any] = {}
    for parameter in parameters:
        raw = form.get(parameter.name)
        if _is_empty(raw):
            raw = parameter.default
        if _is_empty(raw) or raw == {}:
            empty = "" if parameter.data_type in STRING_TYPES else None
            parsed[parameter.name] = empty
            echo[parameter.name] = raw if raw == {} else empty
            continue
        try:
            value = parse_value(parameter.data_type, raw, parameter, sources)
        except InputError as error:
            raise InputError(f"Invalid value for parameter '{parameter.name}': {error}") from None
        parsed[parameter.name] = value
        echo[parameter.name] = echo_value(value)
    return parsed, echo


def echo_value(value: Any) -> Any:
    """JSON form of a parsed input, as ``inputs/<name>`` returns it."""
    if isinstance(value, FeatureSet):
        return value.to_json(return_z=True, return_m=True)
    if isinstance(value, InputFile):
        return value.reference
    if isinstance(value, list):
        return [echo_value(v) for v in value]
    return value


def _range_error(value: float, spec: dict[str, Any]) -> str | None:
    low, high = spec.get("minimum"), spec.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        return f"ERROR 000854: The value is out of the range from {low} to {high}."
    return None


def _item_type(data_type: str) -> str:
    return data_type.split(":", 1)[1] if data_type.startswith("GPMultiValue:") else data_type


def _codes(flt: Any) -> list[Any]:
    """The values of a codedValue filter's entries (Enterprise 12.0)."""
    if not isinstance(flt, dict) or flt.get("type") != "codedValue":
        return []
    return [e["value"] for e in flt.get("list") or [] if isinstance(e, dict) and "value" in e]


def _choice_problem(data_type: str, item: Any, choices: list[Any], label: str) -> str | None:
    """ERROR 000800 when a value is not one of the choices (for a unit: its unit is not)."""
    if data_type in UNIT_TYPES and isinstance(item, dict):
        allowed = {unit_name(data_type, str(c)) for c in choices}
        if item.get("units") in allowed:
            return None
    elif item in choices or str(item) in [str(c) for c in choices]:
        return None
    listed = " | ".join(str(c) for c in choices)
    return f"ERROR 000800: {label}: The value is not a member of {listed}."


def _number_of(data_type: str, item: Any) -> float | None:
    """The number a range filter bounds: the value, or a unit's distance/area/time."""
    if data_type in UNIT_TYPES and isinstance(item, dict):
        item = item.get(UNIT_TYPES[data_type][0])
    if isinstance(item, (int, float)) and not isinstance(item, bool):
        return item
    return None


def _filter_problems(data_type: str, flt: Any, items: list[Any], label: str) -> list[str]:
    """The tool's checks of one filter (range, codedValue) over values of one type."""
    if not isinstance(flt, dict):
        return []
    problems: list[str] = []
    if flt.get("type") == "range":
        for item in items:
            number = _number_of(data_type, item)
            if number is not None and (problem := _range_error(number, flt)):
                problems.append(f"{label}: {problem}")
    codes = _codes(flt)
    if codes:
        for item in items:
            if problem := _choice_problem(data_type, item, codes, label):
                problems.append(problem)
    return problems


def _column_filters(spec: dict[str, Any]) -> list[Any]:
    """Each value table column's filter: its own, else its place in a composite filter."""
    flt = spec.get("filter") or {}
    parts = (flt.get("list") or []) if flt.get("type") == "composite" else []
    filters = []
    for index, info in enumerate(spec.get("parameterInfos") or []):
        part = parts[index] if index < len(parts) else None
        filters.append(info.get("filter") or part)
    return filters


def _field_type_key(name: Any) -> str:
    """``esriFieldTypeSmallInteger`` and arcpy's ``Short`` name the same field type."""
    key = str(name).lower().removeprefix("esrifieldtype")
    return {"short": "smallinteger", "long": "integer", "float": "single", "text": "string"}.get(
        key, key
    )


def _check(parameter: Parameter, value: Any) -> list[str]:
    spec = parameter.description
    label = spec.get("displayName") or parameter.name
    data_type = parameter.data_type
    item_type = _item_type(data_type)
    choices = spec.get("choiceList")
    items = value if isinstance(value, list) and data_type.startswith("GPMultiValue") else [value]
    problems: list[str] = []
    if choices:
        for item in items:
            if problem := _choice_problem(item_type, item, choices, label):
                problems.append(problem)
    flt = spec.get("filter") or {}
    if data_type != "GPValueTable":
        problems.extend(_filter_problems(item_type, flt, items, label))
    if flt.get("type") == "featureClass" and isinstance(value, FeatureSet):
        allowed = flt.get("list") or []
        if value.geometry_type and allowed and value.geometry_type not in allowed:
            problems.append(f"ERROR 000366: {label}: Invalid geometry type")
    if flt.get("type") == "file" and isinstance(value, InputFile):
        allowed = [e.lower().lstrip(".") for e in flt.get("list") or []]
        if allowed and value.path.suffix.lower().lstrip(".") not in allowed:
            problems.append(f"ERROR 000800: {label}: The file type is not one of {allowed}.")
    if flt.get("type") == "field" and isinstance(value, dict) and value.get("type"):
        allowed = flt.get("list") or []
        if allowed and _field_type_key(value["type"]) not in {_field_type_key(a) for a in allowed}:
            problems.append(f"ERROR 000800: {label}: The field type is not one of {allowed}.")
    if data_type == "GPValueTable" and isinstance(value, list):
        infos = spec.get("parameterInfos") or []
        for column, (info, column_filter) in enumerate(zip(infos, _column_filters(spec))):
            cells = [row[column] for row in value if row[column] not in (None, "")]
            column_label = f"{label}: {info.get('name')}"
            problems.extend(
                _filter_problems(info.get("dataType", ""), column_filter, cells, column_label)
            )
    return problems


def validate(parameters: list[Parameter], values: Mapping[str, Any]) -> list[str]:
    """The tool's own checks: the error messages a failing run reports (none = valid)."""
    problems: list[str] = []
    for parameter in parameters:
        value = values.get(parameter.name)
        if value is None or value in ("", []):
            if parameter.is_required:
                label = parameter.description.get("displayName") or parameter.name
                problems.append(f"ERROR 000735: {label}: Value is required")
            continue
        problems.extend(_check(parameter, value))
    return problems
