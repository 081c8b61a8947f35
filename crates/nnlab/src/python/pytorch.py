"""The network nnlab trained, rebuilt in PyTorch.

Written by nnlab for {{model}} ({{params}} parameters). Run it beside the model file:

    pip install torch safetensors numpy
    python {{script}} {{model}} cifar-10-binary.tar.gz

It builds the same network, loads nnlab's weights and prints the accuracy on
CIFAR-10's 10,000 test images: the figure `nnlab eval --model {{model}}` gives.
"""
import sys
import tarfile

import numpy as np
import torch
from safetensors.torch import load_file
from torch import nn


{{read_test_batch}}
# The same layers as in nnlab; tensor names 0.weight, 0.bias, 2.weight, ... match this Sequential.
model = nn.Sequential(
{{layers}}
)
model.load_state_dict(load_file(model_path))
model.eval()

images, labels = read_test_batch(data_path)
with torch.no_grad():
    predicted = model(torch.from_numpy(images)).argmax(dim=1).numpy()
accuracy = 100 * np.mean(predicted == labels)
print(f"test accuracy {accuracy:.2f}% ({np.sum(predicted == labels)} of {len(labels)})")
