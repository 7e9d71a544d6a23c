"""``GPClient``: every ArcGIS REST geoprocessing operation as one method.

The client speaks the protocol and nothing more: it knows URLs, form fields and
answer shapes, and leaves waiting (:mod:`.waiting`), crawling (:mod:`.catalog`)
and GP type conversion (``gptypes``) to others. Inputs always go by POST form,
never in a URL: FeatureSets are big and tokens are secret. The calls on one job
(status, cancel, results) are written in :mod:`.job_calls`, what a run sends
besides its inputs in :mod:`.run_options`.

URLs given to methods may be absolute or relative to the services root
(``"Elevation/Viewshed/GPServer/Viewshed"``).
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import requests

from . import downloads
from .auth import TokenProvider
from .descriptions import GPService, GPTask
from .encoding import encode_inputs
from .enums import ExecutionType
from .errors import ArcGisCapabilityError, ArcGisInvalidResponseError, InvalidUrlError
from .job_calls import JobCalls
from .job_info import JobInfo
from .results import ExecuteResult, execute_result
from .run_options import RunOptions
from .sessions import NetworkOptions
from .transport import Transport
from .urls import ServerUrl, join_url, parse_server_url, resolve_url


class GPClient(JobCalls):
    """A connection to one ArcGIS server's geoprocessing services.

    ``base_url`` may be any services URL a user pastes (root, folder, service,
    task). ``verify`` is ``True`` (check certificates), ``False``, a CA bundle
    path, or ``None`` to leave it to ``session``. ``timeout`` is seconds (or a
    ``(connect, read)`` pair) per request. A password only travels over http
    when ``allow_insecure_http`` is set. ``network`` adds a proxy and a TLS client
    certificate (see :class:`~.sessions.NetworkOptions`).
    """

    def __init__(  # noqa: PLR0917 - the documented positional order of the public API
        self,
        base_url: str,
        session: requests.Session | None = None,
        token_provider: TokenProvider | None = None,
        timeout: float | tuple[float, float] | None = 30,
        verify: bool | str | None = True,
        referer: str | None = None,
        allow_insecure_http: bool = False,
        max_retries: int = 3,
        *,
        retry_backoff: float = 0.5,
        user_agent: str | None = None,
        network: NetworkOptions | None = None,
        pool_size: int | None = None,
    ) -> None:
        self.server: ServerUrl = parse_server_url(base_url)
        self.base_url = self.server.url
        self.transport = Transport(
            self.server,
            session=session,
            auth=token_provider,
            timeout=timeout,
            verify=verify,
            referer=referer,
            user_agent=user_agent,
            allow_insecure_http=allow_insecure_http,
            max_retries=max_retries,
            retry_backoff=retry_backoff,
            network=network,
            pool_size=pool_size,
        )
        self._services: dict[str, GPService] = {}

    # -- life cycle -------------------------------------------------------------------

    def close(self) -> None:
        """Release pooled connections."""
        self.transport.close()

    def __enter__(self) -> GPClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"GPClient({self.base_url!r})"

    @property
    def pool_size(self) -> int:
        """Connections kept per host: as many requests as can run at once."""
        return self.transport.pool_size

    # -- URLs -------------------------------------------------------------------------

    def url(self, url_or_path: str) -> str:
        """An absolute URL: absolute ones unchanged, others relative to the services root."""
        text = (url_or_path or "").strip()
        if re.match(r"^https?://", text, re.IGNORECASE):
            return text
        return resolve_url(text.lstrip("/"), self.server, self.server.services_url)

    def parse(self, url_or_path: str) -> ServerUrl:
        """:class:`ServerUrl` for a URL or a path relative to the services root."""
        return parse_server_url(self.url(url_or_path))

    def _task(self, task_url: str) -> ServerUrl:
        parsed = self.parse(task_url)
        if parsed.kind not in ("task", "job") or parsed.service_type != "GPServer":
            raise InvalidUrlError("expected a GP task URL (.../GPServer/<task>)", url=task_url)
        return parsed

    def _service(self, service_url: str) -> ServerUrl:
        parsed = self.parse(service_url)
        if not parsed.service_name and parsed.folder:
            # "Folder/Service" without "/GPServer": a service path, not a folder.
            parsed = parsed.with_service(parsed.folder, "GPServer")
        if not parsed.service_name:
            raise InvalidUrlError(
                "expected a service URL (.../<service>/GPServer)", url=service_url
            )
        return parsed

    def job_url(self, task_url: str, job_id: str) -> str:
        """``.../GPServer/<task>/jobs/<jobId>``."""
        return join_url(self._task(task_url).task_url, "jobs", job_id)

    # -- directory and descriptions ---------------------------------------------------

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """GET any JSON resource of this server (``f=json`` added)."""
        query = {"f": "json", **(params or {})}
        return self.transport.get_json(self.url(url), query)

    def server_info(self) -> dict[str, Any]:
        """``/rest/info``: ``currentVersion``, ``authInfo`` ..."""
        return self.transport.get_json(self.server.info_url, {"f": "json"})

    def directory(self, url: str | None = None) -> dict[str, Any]:
        """A services directory or folder listing (``folders``, ``services``)."""
        return self.get_json(url or self.server.folder_url)

    def service_info(self, service_url: str) -> GPService:
        """The GP service description (cached per client for capability checks)."""
        parsed = self._service(service_url)
        url = parsed.service_url
        data = self.transport.get_json(url, {"f": "json"})
        service = GPService.from_json(data, url=url, path=parsed.service_path or "")
        self._services[url] = service
        return service

    def _cached_service(self, service_url: str) -> GPService:
        url = self._service(service_url).service_url
        return self._services.get(url) or self.service_info(url)

    def task_info(self, task_url: str) -> GPTask:
        """The task description: parameters, execution type ..."""
        parsed = self._task(task_url)
        url = parsed.task_url
        data = self.transport.get_json(url, {"f": "json"})
        service = self._services.get(parsed.service_url)
        default = service.execution_type if service else ExecutionType.SYNCHRONOUS
        return GPTask.from_json(
            data,
            url=url,
            service_path=parsed.service_path or "",
            name=parsed.task_name,
            default_execution_type=default,
        )

    # -- running ----------------------------------------------------------------------

    def _run_request(
        self, task_url: str, operation: str, inputs: Mapping[str, Any], options: RunOptions
    ) -> tuple[str, list[tuple[str, str | bytes]]]:
        """The URL and form of ``execute`` or ``submitJob``: the inputs, then the
        options as the API names them, then ``f=json``."""
        url = self._task(task_url).task_url + "/" + operation
        fields: list[tuple[str, str | bytes]] = list(encode_inputs(inputs).items())
        fields.extend(options.fields())
        fields.append(("f", "json"))
        return url, fields

    def execute(
        self,
        task_url: str,
        inputs: Mapping[str, Any],
        *,
        out_sr: Any = None,
        process_sr: Any = None,
        context: Any = None,
        return_z: bool = False,
        return_m: bool = False,
        timeout: float | tuple[float, float] | None = None,
    ) -> ExecuteResult:
        """Run a synchronous task (POST ``execute``; never repeated automatically).

        ``timeout`` overrides the client's for this call: a long synchronous task
        may send nothing for minutes.
        """
        options = RunOptions(out_sr, process_sr, context, return_z, return_m)
        url, fields = self._run_request(task_url, "execute", inputs, options)
        data = self.transport.post_json(url, fields, idempotent=False, timeout=timeout)
        return execute_result(data, url)

    def execute_to_file(
        self,
        task_url: str,
        inputs: Mapping[str, Any],
        path: str | os.PathLike[str],
        index: Callable[[Path], Any],
        *,
        out_sr: Any = None,
        process_sr: Any = None,
        context: Any = None,
        return_z: bool = False,
        return_m: bool = False,
        timeout: float | tuple[float, float] | None = None,
    ) -> ExecuteResult:
        """Run a synchronous task with its answer streamed to ``path``, never held whole.

        ``index`` reads the answer file in one pass and returns it as a JSON object
        whose ``results[i].value`` may stand for values left in the file (the GP type
        layer's ``index_execute_answer``); it is checked as :meth:`execute` checks a
        whole answer. The caller owns ``path`` (and removes it).
        """
        options = RunOptions(out_sr, process_sr, context, return_z, return_m)
        url, fields = self._run_request(task_url, "execute", inputs, options)
        answer = downloads.post_to_file(self.transport, url, path, fields, timeout=timeout)
        try:
            data = index(answer)
        except ValueError as error:
            raise ArcGisInvalidResponseError(
                f"the JSON is invalid or truncated ({error})", url=url
            ) from None
        return execute_result(data, url)

    def submit_job(
        self,
        task_url: str,
        inputs: Mapping[str, Any],
        *,
        out_sr: Any = None,
        process_sr: Any = None,
        context: Any = None,
        return_z: bool = False,
        return_m: bool = False,
        timeout: float | tuple[float, float] | None = None,
    ) -> JobInfo:
        """Start an asynchronous job (POST ``submitJob``; never repeated automatically)."""
        options = RunOptions(out_sr, process_sr, context, return_z, return_m)
        url, fields = self._run_request(task_url, "submitJob", inputs, options)
        data = self.transport.post_json(url, fields, idempotent=False, timeout=timeout)
        return JobInfo.from_json(data, url=url)

    # -- files --------------------------------------------------------------------------

    def upload(
        self, service_url: str, file_path: str | os.PathLike[str], description: str | None = None
    ) -> str:
        """Upload a file to the service's ``uploads`` and return its ``itemID``.

        Refused before sending anything when the service lacks the Uploads capability.
        """
        parsed = self._service(service_url)
        service = self._cached_service(parsed.service_url)
        if not service.supports_uploads:
            raise ArcGisCapabilityError(
                f"the service '{service.path}' does not accept uploads "
                "(its capabilities do not include 'Uploads')",
                url=service.url,
            )
        path = Path(file_path)
        if not path.is_file():
            raise FileNotFoundError(str(path))
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        url = parsed.service_url + "/uploads/upload"
        fields: list[tuple[str, Any]] = [("f", "json")]
        if description:
            fields.append(("description", description))
        data = self.transport.post_json(
            url,
            fields,
            files={"file": lambda: (path.name, open(path, "rb"), content_type)},  # noqa: SIM115
            idempotent=False,
        )
        item = data.get("item")
        item_id = item.get("itemID") if isinstance(item, Mapping) else None
        if data.get("success") is False or not item_id:
            raise ArcGisInvalidResponseError("the upload answer holds no itemID", url=url)
        return str(item_id)

    def download(
        self,
        url: str,
        path: str | os.PathLike[str],
        chunk_size: int = 1 << 20,
        *,
        base: str | None = None,
    ) -> Path:
        """Stream a result file to ``path``.

        ``url`` may be relative to the server (``/rest/directories/...``) or to
        ``base`` (a job URL). The token is sent only if the file is on this server.
        """
        absolute = resolve_url(url, self.server, base)
        return downloads.download(self.transport, absolute, path, chunk_size=chunk_size)

    # -- result map services --------------------------------------------------------------

    def result_map_service_url(self, service_url_or_path: str, job_id: str) -> str:
        """``.../<resultMapServerName>/MapServer/jobs/<jobId>`` of a GP service."""
        parsed = self._service(service_url_or_path)
        service = self._cached_service(parsed.service_url)
        name = service.result_map_server_name
        if not name:
            raise ArcGisCapabilityError(
                f"the service '{service.path}' has no result map service", url=service.url
            )
        folder_url = parsed.folder_url
        return join_url(folder_url, name, "MapServer", "jobs", job_id)

    def result_map_service_info(self, service_url_or_path: str, job_id: str) -> dict[str, Any]:
        """The job's result map service description (layers, extent ...)."""
        url = self.result_map_service_url(service_url_or_path, job_id)
        return self._job_call(job_id, lambda: self.transport.get_json(url, {"f": "json"}))

    def query_layer(self, url: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Query a (result map service) layer; ``url`` is the layer or its ``/query``.

        Values are encoded like GP inputs (dicts as JSON, booleans as true/false).
        Sent by GET, retried; page with ``resultOffset``/``resultRecordCount``.
        """
        absolute = self.url(url).rstrip("/")
        if not absolute.lower().endswith("/query"):
            absolute += "/query"
        query = {"f": "json", **encode_inputs(params)}
        return self.transport.get_json(absolute, query)
