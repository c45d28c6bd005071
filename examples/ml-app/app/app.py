"""A prediction service: a toy model behind the standard library's HTTP server.

GET /predict?x=1.5&x=2  ->  {"model": "...", "prediction": 0.73}
GET /health             ->  {"status": "ok"}
"""

import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import tinymodel

MODEL_PATH = os.environ.get("MODEL_PATH", os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.json"))
# Loaded once, at import: an app whose model is missing or broken fails its test and its start.
MODEL = tinymodel.load(MODEL_PATH)
PORT = int(os.environ.get("PORT", "8000"))


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/health":
            return self.reply(200, {"status": "ok"})
        if url.path != "/predict":
            return self.reply(404, {"error": "not found: try /predict?x=1&x=2"})
        try:
            features = [float(v) for v in parse_qs(url.query).get("x", [])]
            return self.reply(200, {"model": MODEL.name, "prediction": MODEL.predict(features)})
        except ValueError as error:
            return self.reply(400, {"error": str(error)})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    print(f"serving {MODEL.name} on port {PORT}")
    ThreadingHTTPServer(("", PORT), Handler).serve_forever()


if __name__ == "__main__":
    main()
