"""The autotest: the app imports (its model loads from the venv's library), predicts, and the
running service gives the same prediction over the network."""

import json
import os
import urllib.request

import app

expected = app.MODEL.predict([1.0, 2.0])
assert 0.0 < expected < 1.0, expected

url = os.environ.get("APP_URL", "http://localhost:8000")
with urllib.request.urlopen(f"{url}/predict?x=1&x=2", timeout=10) as response:
    body = json.load(response)
assert body == {"model": app.MODEL.name, "prediction": expected}, body
print(f"ok: {app.MODEL.name} predicts {expected:.4f} for [1, 2], in-process and over HTTP")
