//! The lecture's model table (paddle.summary of its MLP), row for row.

use nnlab::nn::{thousands, Activation, MlpSpec, Summary, SummaryRow};

fn row(name: &str, input: [usize; 2], output: [usize; 2], params: usize) -> SummaryRow {
    SummaryRow {
        name: name.to_string(),
        input_shape: input.to_vec(),
        output_shape: output.to_vec(),
        params,
    }
}

#[test]
fn lecture_rows_and_totals() {
    // Parameters of a dense layer = in·out weights + out biases:
    // 30000·100 + 100 = 3,000,100; 100·256 + 256 = 25,856; 256·256 + 256 = 65,792;
    // 256·10 + 10 = 2,570. Total 3,094,318.
    let s = Summary::new(&MlpSpec::lecture(), 10);
    assert_eq!(
        s.rows,
        vec![
            row("Linear-1", [10, 30000], [10, 100], 3_000_100),
            row("ReLU-1", [10, 100], [10, 100], 0),
            row("Linear-2", [10, 100], [10, 256], 25_856),
            row("ReLU-2", [10, 256], [10, 256], 0),
            row("Linear-3", [10, 256], [10, 256], 65_792),
            row("ReLU-3", [10, 256], [10, 256], 0),
            row("Linear-4", [10, 256], [10, 10], 2_570),
        ]
    );
    assert_eq!(s.total_params, 3_094_318);
    assert_eq!(s.trainable_params(), 3_094_318);
    assert_eq!(s.non_trainable_params(), 0);
    assert_eq!(MlpSpec::lecture().param_count(), 3_094_318);
}

#[test]
fn row_texts_as_paddle_prints_them() {
    let s = Summary::new(&MlpSpec::lecture(), 10);
    let first = &s.rows[0];
    assert_eq!(first.input_text(), "[[10, 30000]]");
    assert_eq!(first.output_text(), "[10, 100]");
    assert_eq!(first.params_text(), "3,000,100");
}

#[test]
fn lecture_table_renders() {
    let expected = "\
-------------------------------------------------------------------------
 Layer (type)       Input Shape          Output Shape         Param #
=========================================================================
   Linear-1        [[10, 30000]]          [10, 100]          3,000,100
    ReLU-1          [[10, 100]]           [10, 100]              0
   Linear-2         [[10, 100]]           [10, 256]           25,856
    ReLU-2          [[10, 256]]           [10, 256]              0
   Linear-3         [[10, 256]]           [10, 256]           65,792
    ReLU-3          [[10, 256]]           [10, 256]              0
   Linear-4         [[10, 256]]            [10, 10]            2,570
=========================================================================
Total params: 3,094,318
Trainable params: 3,094,318
Non-trainable params: 0
-------------------------------------------------------------------------
";
    assert_eq!(Summary::new(&MlpSpec::lecture(), 10).to_string(), expected);
}

#[test]
fn cifar_variant() {
    // Only the first layer changes: 3072·100 + 100 = 307,300; total 307,300 + 25,856 + 65,792 + 2,570.
    let s = Summary::new(&MlpSpec::lecture_cifar(), 10);
    assert_eq!(s.rows[0], row("Linear-1", [10, 3072], [10, 100], 307_300));
    assert_eq!(s.total_params, 401_518);
    assert!(s.to_string().contains("Total params: 401,518\n"));
}

#[test]
fn columns_widen_for_long_shapes() {
    // A 12-digit input does not fit Paddle's 20-wide column: it grows to the cell + 2.
    let spec = MlpSpec {
        input: 123_456_789_012,
        layers: vec![1],
        activation: Activation::Relu,
    };
    let text = Summary::new(&spec, 1000).to_string();
    let header = text.lines().nth(1).unwrap();
    let linear = text.lines().nth(3).unwrap();
    // "[[1000, 123456789012]]" is 22 characters → a column of 24 instead of 20, so the
    // third column starts at 15 + 1 + 24 + 1 = 41 (not 37). Centred in 20: "Output Shape"
    // (12 chars) gets 4 spaces on the left → 45; "[1000, 1]" (9 chars) gets 5 → 46.
    assert!(linear.contains(" [[1000, 123456789012]] "), "{text}");
    assert_eq!(header.find("Output Shape"), Some(45), "{text}");
    assert_eq!(linear.find("[1000, 1]"), Some(46), "{text}");
    // Params 123456789012·1 + 1 = "123,456,789,013" (15 chars) widens the last column to 17,
    // so the rules span 15 + 24 + 20 + 17 + 3 separators = 79.
    assert!(linear.ends_with("123,456,789,013"), "{text}");
    assert_eq!(text.lines().next().unwrap(), "-".repeat(79));
}

#[test]
fn other_activations_and_identity() {
    let mut spec = MlpSpec {
        input: 2,
        layers: vec![3, 2],
        activation: Activation::Tanh,
    };
    let names = |spec: &MlpSpec| -> Vec<String> {
        Summary::new(spec, 1)
            .rows
            .into_iter()
            .map(|r| r.name)
            .collect()
    };
    assert_eq!(names(&spec), ["Linear-1", "Tanh-1", "Linear-2"]);
    spec.activation = Activation::Identity;
    assert_eq!(names(&spec), ["Linear-1", "Linear-2"]);
}

#[test]
fn thousands_separators() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1000), "1,000");
    assert_eq!(thousands(25_856), "25,856");
    assert_eq!(thousands(3_094_318), "3,094,318");
    assert_eq!(thousands(1_000_000_000), "1,000,000,000");
}

#[test]
fn a_saturated_count_says_more_than() {
    // 2^40 inputs into 2^40 neurons: 2^80 weights, more than a usize holds.
    let spec = MlpSpec {
        input: 1 << 40,
        layers: vec![1 << 40, 10],
        activation: Activation::Relu,
    };
    assert_eq!(spec.param_count(), usize::MAX);
    let table = Summary::new(&spec, 1).to_string();
    assert!(
        table.contains("Total params: more than 18,446,744,073,709,551,615"),
        "{table}"
    );
    let err = spec.validate().unwrap_err().to_string();
    assert!(
        err.contains("more than 18,446,744,073,709,551,615 parameters"),
        "{err}"
    );
    // An honest count is written as it is.
    assert_eq!(nnlab::nn::count_text(3_000_100), "3,000,100");
}
