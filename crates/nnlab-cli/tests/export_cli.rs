//! `--save m.safetensors`, `--from`/`eval --model` of either format, and
//! `nnlab export`: the generated Python scripts are run, and must print the
//! accuracy `nnlab eval` prints.
//!
//! Python: `NNLAB_PYTHON` (scripts/setup.sh makes a venv with numpy,
//! safetensors, PyTorch and Paddle and sets it), else `python3`. When
//! `NNLAB_PYTHON` is set, numpy and safetensors must be there (the NumPy
//! script always runs); PyTorch's and Paddle's scripts run where those are
//! installed, and the test says which ran.

mod common;

use common::{files, nnlab, stdout_of, write_folder};
use std::path::Path;
use std::process::Command;

fn synthetic(dir: &Path) -> String {
    let folder = dir.join("cifar");
    write_folder(&folder, &files(64, 100));
    folder.to_str().unwrap().to_string()
}

/// "accuracy 87.00%" in `nnlab eval`'s report, or "test accuracy 87.00%" in a script's.
/// `nnlab export` of the `framework` script for `model` into `out`.
fn export(framework: &str, model: &Path, out: &Path) {
    stdout_of(
        &[
            "export",
            "--framework",
            framework,
            "--model",
            model.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
}

/// `nnlab train` of a small network (3072 → 32 → 10, batches of 16, 2
/// epochs) on `data`, with `more` arguments; its report.
fn train_small(data: &str, more: &[&str]) -> String {
    let mut args = vec![
        "train", "--data", data, "--layers", "32,10", "--batch", "16", "--quiet", "--epochs", "2",
    ];
    args.extend_from_slice(more);
    stdout_of(&args, &[])
}

fn accuracy_in(text: &str) -> f64 {
    let at = text.find("accuracy ").expect("an accuracy") + "accuracy ".len();
    let rest = &text[at..];
    rest[..rest.find('%').expect("a percentage")]
        .parse()
        .expect("a number")
}

fn python() -> Option<String> {
    if let Ok(python) = std::env::var("NNLAB_PYTHON") {
        return Some(python);
    }
    let has = Command::new("python3")
        .args(["-c", "import numpy, safetensors"])
        .output()
        .is_ok_and(|o| o.status.success());
    has.then(|| "python3".to_string())
}

fn has_module(python: &str, module: &str) -> bool {
    Command::new(python)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `script` on `model` and `data` (a test_batch.bin or an archive).
fn run_script(python: &str, script: &Path, model: &Path, data: &Path) -> String {
    let out = Command::new(python)
        .arg(script)
        .arg(model)
        .arg(data)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{} failed:\n{}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn both_formats_hold_the_same_trained_model() {
    let dir = tempfile::tempdir().unwrap();
    let data = synthetic(dir.path());
    let st = dir.path().join("m.safetensors");
    let json = dir.path().join("m.json");
    let train =
        |save: &Path| train_small(&data, &["--seed", "3", "--save", save.to_str().unwrap()]);
    // The same seed gives the same network (the same losses and accuracies); saved in both formats.
    let losses = |report: String| -> Vec<String> {
        report
            .lines()
            .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
            .map(|l| l.split_whitespace().take(5).collect::<Vec<_>>().join(" "))
            .collect()
    };
    let (a, b) = (losses(train(&st)), losses(train(&json)));
    assert_eq!(a.len(), 2);
    assert_eq!(a, b);
    let bytes = std::fs::read(&st).unwrap();
    assert_eq!(bytes[8], b'{', "a safetensors header");
    let text = std::fs::read_to_string(&json).unwrap();
    let header_len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let header = std::str::from_utf8(&bytes[8..8 + header_len]).unwrap();
    assert!(
        header.contains(
            r#""0.weight":{"data_offsets":[128,393344],"dtype":"F32","shape":[32,3072]}"#
        ),
        "{header}"
    );
    assert!(header.contains(r#""activation":"relu""#), "{header}");
    assert!(header.contains(r#""widths":"[3072,32,10]""#), "{header}");
    // 3072·32 + 32 + 32·10 + 10 = 98,666 float32 values after the header.
    assert_eq!(bytes.len(), 8 + header_len + 98_666 * 4);

    // eval reads either and reports the same.
    let eval = |model: &Path| {
        stdout_of(
            &["eval", "--model", model.to_str().unwrap(), "--data", &data],
            &[],
        )
    };
    let (from_st, from_json) = (eval(&st), eval(&json));
    assert_eq!(
        from_st.replace("m.safetensors", "MODEL"),
        from_json.replace("m.json", "MODEL")
    );
    assert!(from_st.contains("98,666 parameters"), "{from_st}");
    assert!(!text.is_empty());

    // Training continues from a safetensors file.
    let more = stdout_of(
        &[
            "train",
            "--data",
            &data,
            "--batch",
            "16",
            "--quiet",
            "--epochs",
            "1",
            "--from",
            st.to_str().unwrap(),
        ],
        &[],
    );
    assert!(more.contains("3072 → 32 → 10, relu"), "{more}");
}

#[test]
fn a_broken_safetensors_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let data = synthetic(dir.path());
    let bad = dir.path().join("cut.safetensors");
    // A header that claims 64 bytes of JSON, then only part of it.
    let mut bytes = 64u64.to_le_bytes().to_vec();
    bytes.extend_from_slice(br#"{"0.weight":{"dtype":"F32","#);
    std::fs::write(&bad, &bytes).unwrap();
    let out = nnlab(
        &["eval", "--model", bad.to_str().unwrap(), "--data", &data],
        &[],
    );
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: ")
            && err.contains("cut.safetensors: invalid data: not a readable safetensors file"),
        "{err}"
    );
}

#[test]
fn export_writes_scripts_that_give_evals_accuracy() {
    let dir = tempfile::tempdir().unwrap();
    let data = synthetic(dir.path());
    let json = dir.path().join("run.json");
    train_small(&data, &["--save", json.to_str().unwrap()]);
    // From a JSON model, export writes the safetensors twin the script loads.
    let out = nnlab(
        &[
            "export",
            "--framework",
            "pytorch",
            "--model",
            json.to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let model = dir.path().join("run.safetensors");
    let pytorch = dir.path().join("run_pytorch.py");
    assert!(model.is_file() && pytorch.is_file());
    let script = std::fs::read_to_string(&pytorch).unwrap();
    assert!(script.contains("model = nn.Sequential(\n    nn.Linear(3072, 32), nn.ReLU(),\n    nn.Linear(32, 10),\n)"), "{script}");

    let paddle = dir.path().join("run_paddle.py");
    let numpy = dir.path().join("run_numpy.py");
    for (framework, path) in [("paddle", &paddle), ("numpy", &numpy)] {
        export(framework, &model, path);
    }
    // To standard output with --out -.
    let printed = stdout_of(
        &[
            "export",
            "--framework",
            "numpy",
            "--model",
            model.to_str().unwrap(),
            "--out",
            "-",
        ],
        &[],
    );
    assert_eq!(printed, std::fs::read_to_string(&numpy).unwrap());
    let unknown = nnlab(
        &[
            "export",
            "--framework",
            "keras",
            "--model",
            model.to_str().unwrap(),
        ],
        &[],
    );
    assert!(String::from_utf8_lossy(&unknown.stderr)
        .contains("unknown framework 'keras' (known: pytorch, paddle, numpy)"));

    let Some(python) = python() else {
        eprintln!(
            "SKIPPED running the scripts: no NNLAB_PYTHON and no python3 with numpy + safetensors"
        );
        return;
    };
    let eval = stdout_of(
        &["eval", "--model", model.to_str().unwrap(), "--data", &data],
        &[],
    );
    let expected = accuracy_in(&eval);
    assert!(expected > 50.0, "the pattern was learnt: {eval}");
    let test_batch = Path::new(&data).join("test_batch.bin");
    let mut ran = vec!["numpy"];
    let numpy_says = run_script(&python, &numpy, &model, &test_batch);
    // 100 test images: 0.05 points is no image at all.
    assert!(
        (accuracy_in(&numpy_says) - expected).abs() < 0.05,
        "{numpy_says} vs {eval}"
    );
    assert!(numpy_says.contains("of 100)"), "{numpy_says}");
    for (module, script) in [("torch", &pytorch), ("paddle", &paddle)] {
        if has_module(&python, module) {
            let says = run_script(&python, script, &model, &test_batch);
            assert!(
                (accuracy_in(&says) - expected).abs() < 0.05,
                "{module}: {says} vs {eval}"
            );
            ran.push(module);
        }
    }
    eprintln!("ran the {} scripts with {python}", ran.join(", "));
}

/// The same on the real CIFAR-10 test set, read from the archive by the
/// scripts themselves: 10,000 images, so 0.05 points is at most 5 of them.
#[test]
fn real_cifar10_scripts_match_eval() {
    let (Ok(archive), Some(python)) = (std::env::var("NNLAB_CIFAR10"), python()) else {
        eprintln!("SKIPPED: needs NNLAB_CIFAR10 and Python with numpy + safetensors");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("lecture.safetensors");
    stdout_of(
        &[
            "train",
            "--data",
            &archive,
            "--train-size",
            "3000",
            "--epochs",
            "1",
            "--quiet",
            "--save",
            model.to_str().unwrap(),
        ],
        &[],
    );
    let eval = stdout_of(
        &[
            "eval",
            "--model",
            model.to_str().unwrap(),
            "--data",
            &archive,
        ],
        &[],
    );
    let expected = accuracy_in(&eval);
    let mut frameworks = vec!["numpy"];
    for module in ["torch", "paddle"] {
        if has_module(&python, module) {
            frameworks.push(module);
        }
    }
    for module in &frameworks {
        let framework = if *module == "torch" {
            "pytorch"
        } else {
            module
        };
        // Not "numpy.py": a script named like a module it imports would import itself.
        let script = dir.path().join(format!("lecture_{framework}.py"));
        export(framework, &model, &script);
        let says = run_script(&python, &script, &model, Path::new(&archive));
        assert!(says.contains("of 10000)"), "{says}");
        assert!(
            (accuracy_in(&says) - expected).abs() < 0.05,
            "{framework}: {says} vs nnlab eval {expected}"
        );
    }
    eprintln!(
        "real CIFAR-10: {} scripts agree with eval at {expected:.2}%",
        frameworks.join(", ")
    );
}
