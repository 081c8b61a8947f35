//! The `nnlab` binary, run as a user would.

mod common;

use std::process::Output;

/// The binary with `args` (see `common::nnlab`).
fn nnlab(args: &[&str]) -> Output {
    common::nnlab(args, &[])
}

/// A command line's words: `argv("descend --steps 3")`.
fn argv(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

fn stdout_json(args: &[&str]) -> serde_json::Value {
    let out = nnlab(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

/// A failing run: non-zero exit, nothing on stdout, one "error: …" line on stderr.
fn fails_with(args: &[&str], needle: &str) {
    let out = nnlab(args);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
    let err = String::from_utf8(out.stderr).expect("UTF-8");
    assert_eq!(err.lines().count(), 1, "{args:?}: not one line:\n{err}");
    assert!(err.starts_with("error: "), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
}

#[test]
fn json_has_n_plus_one_points_from_the_start() {
    let v = stdout_json(&argv(
        "descend --surface rosenbrock --optimizer adam --lr 0.01 --steps 25 --start=-1.5,2",
    ));
    let points = v["points"].as_array().unwrap();
    let losses = floats(&v["losses"]);
    assert_eq!(points.len(), 26);
    assert_eq!(losses.len(), 26);
    assert_eq!(floats(&points[0]), vec![-1.5, 2.0]);
    // Each loss is the surface's value at its point: (1−x)² + 100(y−x²)².
    for (p, loss) in points.iter().zip(&losses) {
        let p = floats(p);
        let f = (1.0 - p[0]).powi(2) + 100.0 * (p[1] - p[0] * p[0]).powi(2);
        assert!(
            (f - loss).abs() <= 1e-12 * f.max(1.0),
            "{p:?}: {f} vs {loss}"
        );
    }
    // The start's loss: (1+1.5)² + 100(2−2.25)² = 6.25 + 6.25 = 12.5.
    assert_eq!(losses[0], 12.5);
    assert_eq!(v["surface"], "rosenbrock");
    assert_eq!(v["optimizer"], "adam");
    assert_eq!(v["hyper"]["lr"], 0.01);
    assert_eq!(v["hyper"]["beta2"], 0.999);
    assert_eq!(v["steps"], 25);
}

#[test]
fn sgd_on_the_ill_conditioned_bowl_follows_the_hand_computed_path() {
    // f = 0.5(x² + 50y²), ∇f = (x, 50y). SGD with lr 0.01: x ← x − 0.01x = 0.99x,
    // y ← y − 0.01·50y = 0.5y. From (1, 1): (0.99, 0.5), (0.9801, 0.25), (0.970299, 0.125).
    let v = stdout_json(&argv(
        "descend --surface ill-conditioned --optimizer sgd --lr 0.01 --steps 3 --start=1,1",
    ));
    let points: Vec<Vec<f64>> = v["points"].as_array().unwrap().iter().map(floats).collect();
    let expect = [[1.0, 1.0], [0.99, 0.5], [0.9801, 0.25], [0.970299, 0.125]];
    for (p, e) in points.iter().zip(expect) {
        assert!(
            (p[0] - e[0]).abs() < 1e-15 && p[1] == e[1],
            "{p:?} vs {e:?}"
        );
    }
    // Losses 0.5(x² + 50y²): 25.5, 0.5(0.9801 + 12.5) = 6.74005, 0.5(0.96059601 + 3.125) = 2.042798005.
    let losses = floats(&v["losses"]);
    assert!((losses[1] - 6.74005).abs() < 1e-12);
    assert!((losses[2] - 2.042798005).abs() < 1e-12);
    assert_eq!(losses[0], 25.5);
}

#[test]
fn json_round_trips_full_precision() {
    // Momentum on the bowl produces numbers like 1.0587159000000002: every bit the core
    // computed must come back from the JSON text unchanged.
    let surface = nnlab::surfaces::by_name("ill-conditioned").unwrap();
    let kind = nnlab::optim::OptimizerKind::Momentum;
    let hyper = nnlab::optim::Hyper {
        lr: 0.013,
        ..nnlab::optim::Hyper::defaults(kind)
    };
    let core = nnlab::descent::trajectory(&surface, kind, hyper, &[1.1, 0.3], 40).unwrap();
    let v = stdout_json(&argv("descend --surface ill-conditioned --optimizer momentum --lr 0.013 --steps 40 --start=1.1,0.3"));
    let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for (p, q) in v["points"].as_array().unwrap().iter().zip(&core.points) {
        assert_eq!(bits(&floats(p)), bits(q));
    }
    assert_eq!(bits(&floats(&v["losses"])), bits(&core.losses));
}

#[test]
fn diverging_runs_write_null() {
    // lr 1 on Rosenbrock explodes: 1e281 after 5 steps, then inf and NaN.
    let v = stdout_json(&argv(
        "descend --surface rosenbrock --optimizer sgd --lr 1 --steps 8",
    ));
    let losses = v["losses"].as_array().unwrap();
    assert_eq!(losses.len(), 9);
    assert_eq!(losses[0], 12.5); // the default start (−1.5, 2)
    assert!(losses.last().unwrap().is_null());
    let last = v["points"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    assert!(last.iter().all(serde_json::Value::is_null));
}

#[test]
fn csv_has_a_header_and_one_row_per_point() {
    let out = nnlab(&argv("descend --surface ill-conditioned --optimizer sgd --lr 0.01 --steps 2 --start=1,1 --format csv"));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // Rows as worked out above; 0.5·(0.99² + 50·0.5²) = 6.74005 up to f64 rounding.
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0], "step,x,y,loss");
    assert_eq!(rows[1], "0,1.0,1.0,25.5");
    assert!(rows[2].starts_with("1,0.99,0.5,6.7400"), "{}", rows[2]);
    assert!(rows[3].starts_with("2,0.9801,0.25,2.04279"), "{}", rows[3]);

    let out = nnlab(&argv(
        "descend --surface double-well --optimizer sgd --steps 1 --start=2 --lr 0.01 --format csv",
    ));
    let text = String::from_utf8(out.stdout).unwrap();
    // f(2) = 16 − 12 + 2 = 6; f′(2) = 32 − 12 + 1 = 21 → x = 2 − 0.21 = 1.79.
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[0], "step,x,loss");
    assert_eq!(rows[1], "0,2.0,6.0");
    assert!(rows[2].starts_with("1,1.79,"), "{}", rows[2]);
}

#[test]
fn svg_is_a_figure_with_the_path() {
    // SGD on the bowl from (−8, 0): y stays 0 and x shrinks by 0.9 a step, a straight
    // path whose 31 points all land on different pixels (the last step is 0.038 units,
    // 2 px at 1041 px for 20 units), so the polyline keeps every point.
    let out = nnlab(&argv("descend --surface ill-conditioned --optimizer sgd --lr 0.1 --steps 30 --start=-8,0 --format svg"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.len() < 1_500_000, "{} bytes", svg.len());
    // The path: a polyline in the first track colour (240, 60, 60); the legend's swatch
    // is the other, 2-point one.
    let lengths: Vec<usize> = svg
        .split("<polyline")
        .filter(|tag| tag.contains("stroke=\"#F03C3C\""))
        .map(|tag| {
            tag.split("points=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .split_whitespace()
                .count()
        })
        .collect();
    assert_eq!(lengths, vec![31, 2]);
    assert!(svg.contains("sgd on ill-conditioned, lr 0.1, 30 steps"));
}

#[test]
fn svg_goes_to_a_file_with_out() {
    let path = std::env::temp_dir().join(format!("nnlab-cli-test-{}.svg", std::process::id()));
    let out = nnlab(&[
        "descend",
        "--surface",
        "double-well",
        "--optimizer",
        "sgd",
        "--steps",
        "5",
        "--format",
        "svg",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let svg = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("<polyline"));
}

#[test]
fn png_is_a_valid_image_of_the_requested_size() {
    let path = std::env::temp_dir().join(format!("nnlab-cli-test-{}.png", std::process::id()));
    let out = nnlab(&[
        "descend",
        "--surface",
        "himmelblau",
        "--optimizer",
        "rmsprop",
        "--steps",
        "50",
        "--format",
        "png",
        "--size",
        "640x480",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut rgb = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut rgb).unwrap();
    assert_eq!((info.width, info.height), (640, 480));
    assert_eq!(info.color_type, png::ColorType::Rgb);
    // The track colour appears (the path), and so does viridis' dark end (the minima's basins).
    let pixels: Vec<&[u8]> = rgb.chunks(3).collect();
    assert!(pixels.iter().filter(|p| **p == [240, 60, 60]).count() > 100);
    assert!(
        pixels
            .iter()
            .filter(|p| p[2] > p[1] && p[0] < 90 && p[1] < 60)
            .count()
            > 100
    );
}

#[test]
fn summary_prints_the_lecture_table() {
    let out = nnlab(&["summary", "--preset", "lecture"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // 30000·100 + 100 = 3,000,100; 100·256 + 256 = 25,856; 256·256 + 256 = 65,792; 256·10 + 10 = 2,570.
    for needle in [
        "Linear-1",
        "[[10, 30000]]",
        "3,000,100",
        "25,856",
        "65,792",
        "2,570",
        "ReLU-3",
        "Total params: 3,094,318",
    ] {
        assert!(text.contains(needle), "missing {needle}:\n{text}");
    }
    let out = nnlab(&["summary", "--preset", "lecture-cifar"]);
    // 3072·100 + 100 = 307,300; + 25,856 + 65,792 + 2,570 = 401,518.
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("307,300") && text.contains("Total params: 401,518"),
        "{text}"
    );

    let out = nnlab(&argv(
        "summary --input 3072 --layers 100,256,256,10 --batch 64 --activation tanh",
    ));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("[[64, 3072]]")
            && text.contains("Tanh-1")
            && text.contains("Total params: 401,518"),
        "{text}"
    );
}

#[test]
fn bad_names_are_one_line_errors() {
    fails_with(
        &["descend", "--surface", "banana", "--optimizer", "sgd"],
        "unknown surface 'banana'",
    );
    fails_with(
        &["descend", "--surface", "rosenbrock", "--optimizer", "lbfgs"],
        "unknown optimizer 'lbfgs'",
    );
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --format xml"),
        "'xml'",
    );
    fails_with(
        &["summary", "--preset", "lecture", "--activation", "gelu"],
        "unknown activation 'gelu'",
    );
    fails_with(&["summary", "--preset", "vgg"], "'vgg'");
}

#[test]
fn bad_numbers_are_one_line_errors() {
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --lr fast"),
        "'fast'",
    );
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --lr NaN"),
        "learning rate must be a finite number",
    );
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --lr -0.1"),
        "learning rate",
    );
    fails_with(
        &argv("descend --surface rosenbrock --optimizer momentum --momentum 1.5"),
        "momentum",
    );
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --start=1,zwei"),
        "'zwei' is not a number",
    );
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --start=1,inf"),
        "finite",
    );
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --size 12x9"),
        "size",
    );
}

#[test]
fn wrong_start_dimension_is_an_error() {
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --start=1"),
        "needs 2 coordinate(s), got 1",
    );
    fails_with(
        &argv("descend --surface double-well --optimizer sgd --start=1,2"),
        "needs 1 coordinate(s), got 2",
    );
}

#[test]
fn zero_negative_and_absurd_step_counts_are_errors() {
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --steps 0"),
        "steps",
    );
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --steps -5"),
        "'-5'",
    );
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --steps 20000000"),
        "number of steps",
    );
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --steps 99999999999999999999999"),
        "--steps",
    );
}

#[test]
fn bad_layers_are_errors() {
    fails_with(&["summary", "--input", "3072", "--layers", ""], "layers");
    fails_with(
        &["summary", "--input", "3072", "--layers", "100,0,10"],
        "0 neurons",
    );
    fails_with(&["summary", "--input", "0", "--layers", "10"], "input size");
    fails_with(
        &["summary", "--input", "3072", "--layers", "100,ten"],
        "'ten' is not a whole number",
    );
    fails_with(&["summary", "--input", "3072"], "--layers");
    fails_with(&["summary"], "summary needs --preset");
}

#[test]
fn png_needs_a_file_and_missing_arguments_are_short() {
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --format png"),
        "--out",
    );
    fails_with(&["descend", "--optimizer", "sgd"], "--surface");
    fails_with(
        &argv("descend --surface rosenbrock --optimizer sgd --out /nonexistent-dir/x.json"),
        "cannot write",
    );
    fails_with(&["frobnicate"], "frobnicate");
}
