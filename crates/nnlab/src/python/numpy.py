"""The network nnlab trained, as a NumPy forward pass (no framework needed).

Written by nnlab for {{model}} ({{params}} parameters). Run it beside the model file:

    pip install safetensors numpy
    python {{script}} {{model}} cifar-10-binary.tar.gz

It loads nnlab's weights, computes every layer by hand and prints the accuracy
on CIFAR-10's 10,000 test images: the figure `nnlab eval --model {{model}}` gives.
"""
import sys
import tarfile

import numpy as np
from safetensors.numpy import load_file


{{read_test_batch}}
state = load_file(model_path)
{{activation_def}}

images, labels = read_test_batch(data_path)
x = images
# Layer l's weight is [out, in] (as PyTorch's Linear), so a batch of rows goes through x @ W.T + b.
{{layers}}
predicted = x.argmax(axis=1)
accuracy = 100 * np.mean(predicted == labels)
print(f"test accuracy {accuracy:.2f}% ({np.sum(predicted == labels)} of {len(labels)})")
