"""Static data behind the non-GP directory entries (``Hosted/Parcels``, ``Basemaps/World``).

Small and deterministic. Parcels are in Web Mercator with the old wkid 102100, like many
hosted layers, so a ``{"url": ".../FeatureServer/0/query"}`` input brings that quirk along.
"""

from __future__ import annotations

from .featureset import OID, FeatureSet, field_def

_LAND_USES = ("Residential", "Commercial", "Agricultural", "Park")


def parcels() -> FeatureSet:
    """60 rectangular parcels (10 x 6) near 10.0 E, 45.0 N, in EPSG:3857."""
    x0, y0, width, height = 1_113_195.0, 5_621_521.0, 120.0, 80.0
    features = []
    for i in range(60):
        row, column = divmod(i, 10)
        x, y = x0 + column * width, y0 + row * height
        ring = [[x, y], [x, y + height], [x + width, y + height], [x + width, y], [x, y]]
        features.append(
            {
                "attributes": {
                    "OBJECTID": i + 1,
                    "PARCEL_ID": f"P-{1000 + i}",
                    "LAND_USE": _LAND_USES[i % len(_LAND_USES)],
                    "AREA_M2": width * height,
                    "ZONE": row + 1,
                },
                "geometry": {"rings": [ring]},
            }
        )
    return FeatureSet(
        geometry_type="esriGeometryPolygon",
        spatial_reference={"wkid": 102100, "latestWkid": 3857},
        fields=[
            field_def("OBJECTID", OID),
            field_def("PARCEL_ID", "esriFieldTypeString", length=16),
            field_def("LAND_USE", "esriFieldTypeString", length=32),
            field_def("AREA_M2", "esriFieldTypeDouble"),
            field_def("ZONE", "esriFieldTypeSmallInteger"),
        ],
        features=features,
        display_field_name="PARCEL_ID",
    )


def world() -> FeatureSet:
    """A few rough continent boxes in WGS 84: enough for a map image with content."""
    boxes = {
        "Africa": (-17.0, -35.0, 51.0, 37.0),
        "Europe": (-10.0, 36.0, 40.0, 71.0),
        "Asia": (40.0, 5.0, 150.0, 75.0),
        "North America": (-168.0, 15.0, -52.0, 72.0),
        "South America": (-81.0, -56.0, -34.0, 12.0),
        "Oceania": (112.0, -44.0, 179.0, -10.0),
    }
    features = []
    for number, (name, (xmin, ymin, xmax, ymax)) in enumerate(boxes.items(), start=1):
        ring = [[xmin, ymin], [xmin, ymax], [xmax, ymax], [xmax, ymin], [xmin, ymin]]
        features.append(
            {"attributes": {"OBJECTID": number, "NAME": name}, "geometry": {"rings": [ring]}}
        )
    return FeatureSet(
        geometry_type="esriGeometryPolygon",
        spatial_reference={"wkid": 4326, "latestWkid": 4326},
        fields=[field_def("OBJECTID", OID), field_def("NAME", "esriFieldTypeString", length=32)],
        features=features,
        display_field_name="NAME",
    )


DATASETS = {"parcels": parcels, "world": world}
