"""The ``uploads`` resource of GP services with the Uploads capability.

Items belong to the service they were uploaded to, as on ArcGIS Server: an itemID from one
service means nothing to another.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO


@dataclass
class UploadItem:
    item_id: str
    name: str
    description: str
    date: int  # epoch ms
    path: Path
    service_path: str

    def to_json(self) -> dict[str, Any]:
        return {
            "itemID": self.item_id,
            "itemName": self.name,
            "description": self.description,
            "date": self.date,
            "committed": True,
        }


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name or "upload").name).strip("._")
    return cleaned or "upload"


class UploadStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._items: dict[str, UploadItem] = {}
        self._lock = threading.Lock()

    def add(
        self, service_path: str, filename: str, stream: BinaryIO, description: str
    ) -> UploadItem:
        item_id = f"i{uuid.uuid4()}"
        folder = self.root / item_id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / _safe_name(filename)
        with open(path, "wb") as target:
            shutil.copyfileobj(stream, target, 1024 * 1024)
        item = UploadItem(
            item_id=item_id,
            name=path.name,
            description=description,
            date=int(time.time() * 1000),
            path=path,
            service_path=service_path,
        )
        with self._lock:
            self._items[item_id] = item
        return item

    def get(self, service_path: str, item_id: str) -> UploadItem | None:
        with self._lock:
            item = self._items.get(item_id)
        if item is None or item.service_path.lower() != service_path.lower():
            return None
        return item

    def items(self, service_path: str) -> list[UploadItem]:
        with self._lock:
            return [
                i for i in self._items.values() if i.service_path.lower() == service_path.lower()
            ]

    def delete(self, item: UploadItem) -> None:
        with self._lock:
            self._items.pop(item.item_id, None)
        shutil.rmtree(item.path.parent, ignore_errors=True)

    def clear(self) -> None:
        with self._lock:
            items = list(self._items.values())
            self._items.clear()
        for item in items:
            shutil.rmtree(item.path.parent, ignore_errors=True)
