"""Ready-to-use services through a portal connection: hosted layers in by URL with the
login's token, hosted layers out (``outputName``) loaded from their URL, and ``context``
(extent, outSR), all through ``processing.run`` against the test portal's Spatial Analysis
helper (tests/gpserver/ready.py).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import processing
import pytest
import requests
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsProcessingFeedback,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)

from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.provider import job_events
from arcgis_gp.plugin.provider.job_events import JobListener, JobSubmission
from tests.gpserver import ready
from tests.qgis_auth import store_auth_config

CREATE_BUFFERS = "arcgisgp:portal__system_spatialanalysistools__createbuffers"
REFERER = "https://qgis.example.org/"
#: The parcels dataset: 10 x 6 rectangles of 120 x 80 m from this corner (EPSG:3857).
X0, Y0, WIDTH, HEIGHT = 1_113_195.0, 5_621_521.0, 120.0, 80.0


def _connection(gpserver, authcfg: str, referer: str = "") -> Connection:
    return Connection(
        "portal", gpserver.portal_url, authcfg=authcfg, allow_insecure_http=True, referer=referer
    )


def _secure_layer_url(gpserver) -> str:
    return f"{gpserver.services_url}/{ready.SECURE_LAYER_PATH}/FeatureServer/0"


class _Submissions(JobListener):
    """What each submitted job's record gets (its inputs, as the job store keeps them)."""

    def __init__(self) -> None:
        self.submitted: list[JobSubmission] = []
        self.messages: list[str] = []

    def job_submitted(self, job_id: str, submission: JobSubmission) -> None:
        self.submitted.append(submission)

    def job_status(self, job_id, status, messages) -> None:
        self.messages.extend(m.description for m in messages)


class _Feedback(QgsProcessingFeedback):
    """Every line a run reports."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def pushInfo(self, info: str) -> None:
        self.lines.append(info)

    def pushWarning(self, warning: str) -> None:
        self.lines.append(warning)


@pytest.fixture
def submissions() -> Iterator[_Submissions]:
    previous = job_events.job_listener()
    listener = _Submissions()
    job_events.set_job_listener(listener)
    yield listener
    job_events.set_job_listener(previous)


@pytest.fixture
def analysis(gpserver) -> ready.ReadyServices:
    gpserver.enable_portal()
    return ready.enable(gpserver)


def _issued_tokens(gpserver) -> list[str]:
    return gpserver.state.tokens.issued()


def _no_token_in_urls(gpserver) -> None:
    for request in gpserver.requests:
        assert "token" not in {key.lower() for key in request.query}, request.path


def test_a_secured_hosted_layer_goes_by_url_with_the_login_token(
    make_provider, basic_authcfg, gpserver, analysis, submissions, qgis_log
):
    make_provider(_connection(gpserver, basic_authcfg))
    feedback = _Feedback()
    result = processing.run(
        CREATE_BUFFERS,
        {
            "inputLayer": _secure_layer_url(gpserver) + "?where=ZONE<3",
            "distances": 10,
            "bufferLayer": "TEMPORARY_OUTPUT",
        },
        feedback=feedback,
    )
    assert result["bufferLayer"].featureCount() == 20  # zones 1 and 2 of the layer

    # The service got the layer by URL, with a token it could read the layer with...
    submit = gpserver.requests_to(r"/CreateBuffers/submitJob$")[-1]
    sent = json.loads(submit.form["inputLayer"])
    assert sent["url"] == _secure_layer_url(gpserver)
    assert sent["filter"] == "ZONE<3"
    token = sent["serviceToken"]
    assert token in _issued_tokens(gpserver)
    reads = gpserver.requests_to(r"/Hosted/SecureParcels/FeatureServer/0/query$")
    assert reads
    assert reads[-1].header("X-Esri-Authorization") == f"Bearer {token}"
    # ...which is nowhere in a URL, in the log, in the feedback or in the job's record.
    _no_token_in_urls(gpserver)
    assert not [line for line in qgis_log if token in line]
    assert any("with your login" in line for line in feedback.lines)
    assert not [line for line in feedback.lines if token in line]
    record = submissions.submitted[-1]
    assert record.inputs["inputLayer"] == {"$redacted": True}
    assert token not in json.dumps(record.inputs)
    assert not [m for m in submissions.messages if token in m]

    # A layer on another host goes by URL alone: the login's token never travels there
    # (localhost is another host than 127.0.0.1 for the client).
    public = f"{gpserver.services_url}/Hosted/Parcels/FeatureServer/0".replace(
        "127.0.0.1", "localhost"
    )
    result = processing.run(
        CREATE_BUFFERS,
        {"inputLayer": public, "distances": 10, "bufferLayer": "TEMPORARY_OUTPUT"},
    )
    assert result["bufferLayer"].featureCount() == 60
    sent = json.loads(gpserver.requests_to(r"/CreateBuffers/submitJob$")[-1].form["inputLayer"])
    assert sent == {"url": public}


def test_an_output_name_creates_a_hosted_layer_that_is_read_back(
    make_provider, basic_authcfg, gpserver, analysis
):
    """A Basic login: QGIS's provider cannot turn it into a token, so the hosted layer's
    features are copied through the plugin's own login (and a warning says so)."""
    make_provider(_connection(gpserver, basic_authcfg))
    name = f"Buffers_{uuid.uuid4().hex[:8]}"
    feedback = _Feedback()
    result = processing.run(
        CREATE_BUFFERS,
        {
            "inputLayer": _secure_layer_url(gpserver),
            "distances": 5,
            "outputName": name,
            "bufferLayer": "TEMPORARY_OUTPUT",
        },
        feedback=feedback,
    )
    submit = gpserver.requests_to(r"/CreateBuffers/submitJob$")[-1]
    assert json.loads(submit.form["outputName"]) == {"serviceProperties": {"name": name}}
    assert name in analysis.created  # in the user's content
    assert result["bufferLayer"].featureCount() == 60
    assert gpserver.requests_to(rf"/Hosted/{name}/FeatureServer/0/query$")
    assert any("could not open the hosted layer" in line for line in feedback.lines)
    _no_token_in_urls(gpserver)


def _referer_portal_token(gpserver) -> str:
    user, password = gpserver.credentials
    answer = requests.post(
        f"{gpserver.portal_url}/sharing/rest/generateToken",
        data={
            "username": user,
            "password": password,
            "client": "referer",
            "referer": REFERER,
            "expiration": "60",
            "f": "json",
        },
        timeout=10,
    ).json()
    return answer["token"]


def _polygons_3857(count: int) -> QgsVectorLayer:
    layer = QgsVectorLayer("Polygon?crs=EPSG:3857&field=name:string", "areas", "memory")
    features = []
    for index in range(count):
        feature = QgsFeature(layer.fields())
        x = X0 + index * 500
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, Y0, x + 100, Y0 + 100)))
        feature.setAttributes([f"area {index}"])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def test_a_hosted_output_loads_from_its_url_with_the_connections_auth_config(
    make_provider, qgis_auth_manager, gpserver, analysis
):
    """An EsriToken configuration (a portal token bound to the connection's referer):
    QGIS's arcgisfeatureserver provider opens the new hosted layer with it."""
    authcfg = store_auth_config(
        qgis_auth_manager, "EsriToken", "portal token", {"token": _referer_portal_token(gpserver)}
    )
    try:
        make_provider(_connection(gpserver, authcfg, referer=REFERER))
        name = f"Areas_{uuid.uuid4().hex[:8]}"
        result = processing.run(
            CREATE_BUFFERS,
            {
                "inputLayer": _polygons_3857(7),
                "distances": 20,
                "outputName": name,
                "bufferLayer": "TEMPORARY_OUTPUT",
            },
        )
        layer = result["bufferLayer"]
        assert isinstance(layer, QgsVectorLayer)
        assert layer.isValid()
        assert layer.providerType() == "arcgisfeatureserver"
        assert layer.featureCount() == 7
        assert f"/Hosted/{name}/FeatureServer/0" in layer.source()
        assert authcfg in layer.source()  # the connection's login, not a token
        _no_token_in_urls(gpserver)
    finally:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)


def _extent_4326(columns: int) -> str:
    """The first ``columns`` columns of parcels (inset 10 m), as WGS 84 degrees."""
    rect = QgsRectangle(X0 + 10, Y0 + 10, X0 + columns * WIDTH - 10, Y0 + 6 * HEIGHT - 10)
    transform = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:3857"),
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance(),
    )
    box = transform.transformBoundingBox(rect)
    return f"{box.xMinimum()},{box.xMaximum()},{box.yMinimum()},{box.yMaximum()} [EPSG:4326]"


def test_the_context_extent_limits_the_work_and_out_sr_reprojects(
    make_provider, basic_authcfg, gpserver, analysis
):
    make_provider(_connection(gpserver, basic_authcfg))
    result = processing.run(
        CREATE_BUFFERS,
        {
            "inputLayer": _secure_layer_url(gpserver),
            "distances": 1,
            "arcgis_gp_extent": _extent_4326(3),
            "arcgis_gp_output_sr": "EPSG:4326",
            "bufferLayer": "TEMPORARY_OUTPUT",
        },
    )
    layer = result["bufferLayer"]
    assert layer.featureCount() == 18  # 3 columns x 6 rows
    assert layer.crs().authid() == "EPSG:4326"
    assert 9.9 < layer.extent().xMinimum() < layer.extent().xMaximum() < 10.1
    # The context in the task's own "context" parameter, the extent in its own CRS.
    submit = gpserver.requests_to(r"/CreateBuffers/submitJob$")[-1]
    context = json.loads(submit.form["context"])
    assert context["extent"]["spatialReference"]["wkid"] == 4326
    assert context["outSR"]["wkid"] == 4326


def test_an_extent_without_a_crs_is_refused_by_name(
    make_provider, basic_authcfg, gpserver, analysis
):
    make_provider(_connection(gpserver, basic_authcfg))
    with pytest.raises(Exception, match="Processing extent"):
        processing.run(
            CREATE_BUFFERS,
            {
                "inputLayer": _secure_layer_url(gpserver),
                "arcgis_gp_extent": "0,1,0,1",
                "bufferLayer": "TEMPORARY_OUTPUT",
            },
        )


def test_a_qgis_feature_service_layer_with_a_login_goes_by_url_with_the_token(
    make_provider, basic_authcfg, gpserver, analysis
):
    """A layer added from the Browser with the connection's auth configuration: by URL,
    with the token, on the connection's host; as features on another host."""
    make_provider(_connection(gpserver, basic_authcfg))
    for host, by_url in (("127.0.0.1", True), ("localhost", False)):
        url = f"{gpserver.services_url}/Hosted/Parcels/FeatureServer/0".replace("127.0.0.1", host)
        layer = QgsVectorLayer(
            f"url='{url}' authcfg={basic_authcfg}", "parcels", "arcgisfeatureserver"
        )
        assert layer.isValid()
        result = processing.run(
            CREATE_BUFFERS,
            {"inputLayer": layer, "distances": 1, "bufferLayer": "TEMPORARY_OUTPUT"},
        )
        sent = json.loads(gpserver.requests_to(r"/CreateBuffers/submitJob$")[-1].form["inputLayer"])
        assert result["bufferLayer"].featureCount() == 60
        if by_url:
            assert set(sent) == {"url", "serviceToken"}
            assert sent["serviceToken"] in _issued_tokens(gpserver)
        else:
            assert "url" not in sent
            assert "serviceToken" not in json.dumps(sent)
            assert len(sent["features"]) == 60
