"""A toy model: logistic regression with its weights in a JSON file."""

import json
import math

__all__ = ["Model", "load"]


class Model:
    def __init__(self, name, weights, bias):
        self.name = name
        self.weights = [float(w) for w in weights]
        self.bias = float(bias)

    def predict(self, features):
        """The probability of the positive class for one row of features."""
        if len(features) != len(self.weights):
            raise ValueError(f"{self.name} takes {len(self.weights)} features, got {len(features)}")
        z = self.bias + sum(w * x for w, x in zip(self.weights, features))
        return 1.0 / (1.0 + math.exp(-z))


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return Model(data["name"], data["weights"], data["bias"])
