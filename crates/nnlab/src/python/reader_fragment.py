def read_test_batch(path):
    """CIFAR-10's test images as floats, and their labels.

    `path` is the official cifar-10-binary.tar.gz or its test_batch.bin:
    10,000 records of 1 label byte + 3072 pixel bytes (the R, G and B planes
    of a 32x32 image). nnlab's input is the pixel bytes in that order / 255.
    """
    if path.endswith(".bin"):
        with open(path, "rb") as f:
            raw = f.read()
    else:
        with tarfile.open(path) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("test_batch.bin"))
            raw = tar.extractfile(member).read()
    records = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 1 + 3072)
    images = records[:, 1:].astype(np.float32) / 255
    labels = records[:, 0].astype(np.int64)
    return images, labels


model_path = sys.argv[1] if len(sys.argv) > 1 else "{{model}}"
data_path = sys.argv[2] if len(sys.argv) > 2 else "cifar-10-binary.tar.gz"
