"""The network nnlab trained, rebuilt in PaddlePaddle (the lecture's framework).

Written by nnlab for {{model}} ({{params}} parameters). Run it beside the model file:

    pip install paddlepaddle safetensors numpy
    python {{script}} {{model}} cifar-10-binary.tar.gz

It builds the same network, loads nnlab's weights and prints the accuracy on
CIFAR-10's 10,000 test images: the figure `nnlab eval --model {{model}}` gives.
"""
import sys
import tarfile

import numpy as np
import paddle
from paddle import nn
from safetensors.numpy import load_file


{{read_test_batch}}
# The same layers as in nnlab; tensor names 0.weight, 0.bias, 2.weight, ... match this Sequential.
model = nn.Sequential(
{{layers}}
)
# The file keeps weights as PyTorch does, [out, in]; Paddle's Linear keeps [in, out]: transpose them.
state = load_file(model_path)
model.set_state_dict({name: value.T if name.endswith(".weight") else value for name, value in state.items()})
model.eval()

images, labels = read_test_batch(data_path)
with paddle.no_grad():
    predicted = model(paddle.to_tensor(images)).argmax(axis=1).numpy()
accuracy = 100 * np.mean(predicted == labels)
print(f"test accuracy {accuracy:.2f}% ({np.sum(predicted == labels)} of {len(labels)})")
