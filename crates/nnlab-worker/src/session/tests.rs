//! The Worker's session, driven by messages and a test clock.

use super::*;
use nnlab::data::RECORD_BYTES;

/// `n` CIFAR records: label i % 10, every pixel byte i % 256.
fn records(n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n * RECORD_BYTES);
    for i in 0..n {
        out.push((i % 10) as u8);
        out.extend(std::iter::repeat_n((i % 256) as u8, RECORD_BYTES - 1));
    }
    out
}

fn synthetic() -> Cifar10 {
    let (train, test) = (records(64), records(20));
    Cifar10::from_files(&[("data_batch_1.bin", &train), ("test_batch.bin", &test)]).unwrap()
}

#[test]
fn data_ready_then_an_untrained_network_with_its_pictures() {
    let mut session = Session::new();
    let out = session.set_data(synthetic(), 0.0);
    // All at once: the test set for the page, the lecture's untrained
    // network on all 64 training images, and everything has arrived.
    let position = |test: &dyn Fn(&ToPage) -> bool| out.iter().position(test);
    assert!(
        position(&|m| matches!(m, ToPage::Samples { held_out: false, images, .. } if images.len() == 20 * 3072)).is_some(),
        "{out:?}"
    );
    let network = position(&|m| matches!(m, ToPage::NetworkReady { .. })).expect("a network");
    assert!(position(&|m| matches!(
        m,
        ToPage::DataReady {
            train: 64,
            test: 20
        }
    ))
    .is_some());
    // Every reply survives the trip to the page (postcard, blobs beside;
    // the untrained stats carry a NaN loss).
    for message in &out {
        let back = ToPage::decode(message.clone().encode().unwrap());
        assert!(back.is_ok(), "{message:?}: {back:?}");
    }
    assert!(matches!(
        &out[network],
        ToPage::NetworkReady { train_size: 64, .. }
    ));
    let Some(ToPage::Snapshot(shot)) = out.iter().rev().find(|m| matches!(m, ToPage::Snapshot(_)))
    else {
        panic!("no snapshot in {out:?}");
    };
    // 100 first-layer rows as 32×32 RGBA; clouds: pixels + 4 layers.
    assert_eq!(shot.weight_image_count, 100);
    assert_eq!(shot.weight_images.len(), 100 * 32 * 32 * 4);
    assert_eq!(shot.clouds.len(), 5);
    assert_eq!(shot.clouds[0].points.len(), 20);
    assert_eq!(
        shot.probe_layers.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![100, 256, 256, 10]
    );
    assert!(!session.running());
}

/// Configures the lecture's network with batches of 16 and runs it.
fn start_small_run(session: &mut Session) {
    let config = RunConfig {
        batch_size: 16,
        ..RunConfig::lecture()
    };
    session.handle(ToWorker::Configure { config }, 0.0);
    session.handle(ToWorker::Run, 0.0);
}

/// A run on a team of two threads (what the helper Workers do, natively).
#[cfg(not(target_arch = "wasm32"))]
fn team_session(measure: bool) -> Session {
    let mut session = Session::new();
    session.set_data(synthetic(), 0.0);
    let team =
        nnlab::train::parallel::threads::ThreadTeam::start(&nnlab::nn::MlpSpec::lecture_cifar(), 2)
            .unwrap();
    session.set_team(Box::new(team), measure, None);
    start_small_run(&mut session);
    session
}

#[cfg(not(target_arch = "wasm32"))]
fn stats_of(session: &mut Session, chunks: usize, clock: &mut dyn FnMut() -> f64) -> Stats {
    let mut stats = None;
    for _ in 0..chunks {
        for message in session.run_chunk(clock) {
            if let ToPage::Stats(s) = message {
                stats = Some(s);
            }
        }
    }
    stats.expect("stats while running")
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_team_asked_for_trains_every_step_and_the_stats_say_so() {
    let mut session = team_session(false);
    assert_eq!(session.workers(), 1, "not before the run's first step");
    assert_eq!(session.chunk_ms(), CHUNK_MS);
    let mut t = 0.0;
    let mut clock = || {
        t += 100.0;
        t
    };
    let stats = stats_of(&mut session, 3, &mut clock);
    assert_eq!(stats.workers, 2);
    // The clock moves 100 ms per look: every chunk trains on the team
    // (the first too: the way is chosen before the chunk's length) and
    // stops after two steps, at 150 ms.
    assert_eq!(stats.updates, 2 + 2 + 2);
    assert_eq!(stats.measured, None, "asked for, not measured");
    assert!(stats.loss.is_finite());
    assert_eq!(session.chunk_ms(), CHUNK_MS_TEAM, "longer chunks on a team");
}

/// Chunks until the stats carry a measurement (at most `limit`): the
/// chunks run and the stats before it, and the stats that carry it.
#[cfg(not(target_arch = "wasm32"))]
fn until_measured(
    session: &mut Session,
    limit: usize,
    clock: &mut dyn FnMut() -> f64,
) -> (usize, Vec<Stats>, Stats) {
    let mut before = Vec::new();
    for chunk in 1..=limit {
        for message in session.run_chunk(clock) {
            if let ToPage::Stats(s) = message {
                match s.measured {
                    Some(_) => return (chunk, before, s),
                    None => before.push(s),
                }
            }
        }
    }
    panic!("not measured after {limit} chunks");
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_measured_team_is_used_only_if_it_was_faster() {
    // On a clock that moves 100 ms per look, every chunk takes as long
    // alone as on the team for as many steps: no gain, so one Worker trains.
    let mut session = team_session(true);
    let mut t = 0.0;
    let mut ticking = || {
        t += 100.0;
        t
    };
    assert_eq!(session.chunk_ms(), CHUNK_MS_TEAM, "measuring: team chunks");
    let (chunks, before, stats) = until_measured(&mut session, 40, &mut ticking);
    // 1.5 s of warm-up (chunks of 300 ms on this clock), then ten chunks.
    assert_eq!(chunks, 5 + 10);
    assert!(!before.is_empty());
    assert!(before
        .iter()
        .all(|s| s.measuring == Some(2) && s.updates > 0));
    assert_eq!(stats.measuring, None);
    assert_eq!(stats.workers, 1);
    let measured = stats.measured.expect("measured");
    assert_eq!((measured.workers, measured.at_update), (2, None));
    assert_eq!(session.workers(), 1);
    assert_eq!(session.chunk_ms(), CHUNK_MS, "alone: the usual chunks");
    // A new run measures again, from its start, without a warm-up: the
    // page's Workers have trained.
    start_small_run(&mut session);
    let (chunks, before, _) = until_measured(&mut session, 40, &mut ticking);
    assert_eq!(chunks, 10);
    assert!(before.iter().all(|s| s.measuring == Some(2)));
    // On the wall clock, two threads on this machine: whatever the
    // verdict, the stats report it and the run trains.
    let mut session = team_session(true);
    let start = std::time::Instant::now();
    let mut wall = || start.elapsed().as_secs_f64() * 1000.0;
    let (_, _, stats) = until_measured(&mut session, 1000, &mut wall);
    let measured = stats.measured.expect("measured");
    // The speed-up crossed as f32 hundredths (1.05 is 1.0499999 as f32).
    let hundredths = (f64::from(measured.speedup) * 100.0).round();
    let expected = if hundredths >= (nnlab::train::parallel::MIN_GAIN * 100.0).round() {
        2
    } else {
        1
    };
    assert_eq!(session.workers(), expected, "{measured:?}");
    assert!(stats.updates > 0);
}

/// Trials of one Worker against the team, on a team of threads.
#[cfg(not(target_arch = "wasm32"))]
mod trials {
    use super::*;
    use nnlab::optim::OptimizerKind;
    use nnlab::train::parallel::FlatState;

    /// A team of two threads whose steps a test clock can see: each step
    /// it begins is counted, so the clock can make the team look faster
    /// or slower than one Worker.
    struct CountedTeam {
        team: nnlab::train::parallel::threads::ThreadTeam,
        steps: std::rc::Rc<std::cell::Cell<u32>>,
    }

    impl Team for CountedTeam {
        fn size(&self) -> usize {
            self.team.size()
        }
        fn shares(&self) -> u64 {
            self.team.shares()
        }
        fn share(&mut self, net: &Mlp, kind: OptimizerKind, hyper: Hyper) -> nnlab::Result<()> {
            self.team.share(net, kind, hyper)
        }
        fn begin_step(
            &mut self,
            x: &[f32],
            labels: &[usize],
            lr: f64,
            staged: bool,
        ) -> nnlab::Result<()> {
            self.steps.set(self.steps.get() + 1);
            self.team.begin_step(x, labels, lr, staged)
        }
        fn stage(&mut self, x: &[f32], labels: &[usize]) -> nnlab::Result<bool> {
            self.team.stage(x, labels)
        }
        fn exchange(&mut self) -> &mut dyn nnlab::train::parallel::Exchange {
            self.team.exchange()
        }
        fn collect(&mut self, net: &mut Mlp) -> nnlab::Result<()> {
            self.team.collect(net)
        }
        fn share_state(&mut self, state: &FlatState) -> nnlab::Result<()> {
            self.team.share_state(state)
        }
        fn collect_state(&mut self, state: &mut FlatState) -> nnlab::Result<()> {
            self.team.collect_state(state)
        }
    }

    #[test]
    fn the_run_moves_between_the_team_and_one_worker_as_trials_measure_them() {
        use std::cell::Cell;
        use std::rc::Rc;
        let steps = Rc::new(Cell::new(0));
        let team = CountedTeam {
            team: nnlab::train::parallel::threads::ThreadTeam::start(
                &nnlab::nn::MlpSpec::lecture_cifar(),
                2,
            )
            .unwrap(),
            steps: steps.clone(),
        };
        let mut session = Session::new();
        session.set_data(synthetic(), 0.0);
        session.set_team(Box::new(team), true, None);
        start_small_run(&mut session);
        // A look at the clock after steps of the team moves it `team_ms`
        // per step; any other look 60 ms (a chunk looks after every step:
        // one Worker takes 60 ms a step).
        let team_ms = Rc::new(Cell::new(200.0));
        let mut clock = {
            let (team_ms, mut t, mut seen) = (team_ms.clone(), 0.0, 0);
            move || {
                let new = steps.get() - seen;
                seen = steps.get();
                t += if new > 0 {
                    team_ms.get() * f64::from(new)
                } else {
                    60.0
                };
                t
            }
        };
        // The start's trial (after 1.5 s of chunks both ways) finds the
        // team slower: 200 ms a step against 60. One Worker trains.
        let (_, _, stats) = until_measured(&mut session, 100, &mut clock);
        let start = stats.measured.expect("measured at the start");
        assert!(start.speedup < 0.5, "{start:?}");
        assert_eq!(start.at_update, None);
        assert_eq!(stats.workers, 1);
        team_ms.set(24.0);
        // Chunks until the stats say `workers` train, at most `limit`.
        let mut until = |session: &mut Session, workers: usize, limit: usize| -> (usize, Stats) {
            for chunk in 1..=limit {
                let out = session.run_chunk(&mut clock);
                if let Some(stats) = last_stats(&out).filter(|s| s.workers == workers) {
                    return (chunk, stats);
                }
            }
            panic!("not on {workers} Workers after {limit} chunks");
        };
        // After 20 s of training (chunks of one step alone, 120 ms with the
        // look after it) a trial: one Worker 60 ms a step, the team 24 ms
        // (and a look at the end of each chunk): about 2.5× — the run moves
        // to the team.
        let (chunks, stats) = until(&mut session, 2, 1000);
        assert!((170..=185).contains(&chunks), "{chunks} chunks");
        let trial = stats.measured.expect("measured again");
        assert!((2.3..=2.7).contains(&trial.speedup), "{trial:?}");
        let at = trial.at_update.expect("during the run");
        assert!(at > 150 && at <= stats.updates, "{at} of {}", stats.updates);
        assert_eq!(session.chunk_ms(), CHUNK_MS_TEAM);
        // The team gets slow (200 ms a step): 20 s later (chunks of one
        // step, 260 ms with the look after it) the run is back on one Worker.
        team_ms.set(200.0);
        let before = stats.updates;
        let (chunks, stats) = until(&mut session, 1, 1000);
        assert!((80..=100).contains(&chunks), "{chunks} chunks");
        let trial = stats.measured.expect("measured again");
        assert!(trial.speedup < 0.5, "{trial:?}");
        assert!(stats.updates > before && stats.loss.is_finite());
        assert_eq!(session.chunk_ms(), CHUNK_MS);
    }
}

#[test]
fn samples_per_second_is_wall_clock_time_including_evaluations() {
    let mut session = Session::new();
    session.set_data(synthetic(), 0.0);
    start_small_run(&mut session);
    // Every look at the clock is 10 ms later. The speed must be the
    // samples over the time from the Run message (at 0 ms) to the
    // stats' own look — the last of its chunk, after the
    // evaluation and the pictures — not to a look taken before them.
    let looks = std::cell::Cell::new(0u32);
    let mut clock = || {
        looks.set(looks.get() + 1);
        f64::from(looks.get()) * 10.0
    };
    let mut checked = 0;
    for _ in 0..12 {
        let out = session.run_chunk(&mut clock);
        for message in out {
            if let ToPage::Stats(s) = message {
                if s.samples_seen == 0 || s.samples_per_sec == 0.0 {
                    continue;
                }
                let elapsed_s = f64::from(looks.get()) * 0.01;
                let wall = s.samples_seen as f64 / elapsed_s;
                assert!(
                    (s.samples_per_sec - wall).abs() < 1e-6 * wall,
                    "{} shown vs {wall} by the stopwatch",
                    s.samples_per_sec
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 3, "{checked} stats checked");
    assert!(looks.get() < 500, "all within one speed window (5 s)");
}

#[test]
fn runs_in_chunks_and_evaluates_when_an_epoch_ends() {
    let mut session = Session::new();
    session.set_data(synthetic(), 0.0);
    start_small_run(&mut session);
    assert!(session.running());
    // A clock that jumps 100 ms per look: one step per chunk.
    let mut t = 0.0;
    let mut clock = || {
        t += 100.0;
        t
    };
    let mut tests = 0;
    let mut last_stats = None;
    // 64 images in batches of 16: ⌊64/16⌋ = 4 iterations per epoch.
    for _ in 0..4 {
        for message in session.run_chunk(&mut clock) {
            match message {
                ToPage::Test(_) => tests += 1,
                ToPage::Stats(s) => last_stats = Some(s),
                _ => {}
            }
        }
    }
    let stats = last_stats.unwrap();
    assert_eq!(
        (stats.updates, stats.epoch, stats.iterations_per_epoch),
        (4, 1, 4)
    );
    assert_eq!(tests, 1, "one evaluation at the end of the epoch");
    session.handle(ToWorker::Pause, 1000.0);
    assert!(!session.running());
    assert!(session.run_chunk(&mut clock).is_empty());
}

#[test]
fn a_trained_network_is_kept_every_ten_seconds_and_on_pause() {
    let mut session = Session::new();
    session.set_data(synthetic(), 0.0);
    let config = RunConfig {
        batch_size: 16,
        ..RunConfig::lecture()
    };
    session.handle(
        ToWorker::Configure {
            config: config.clone(),
        },
        0.0,
    );
    // Untrained: nothing worth keeping.
    assert!(session.checkpoint_due(60_000.0).is_none());
    session.handle(ToWorker::Run, 0.0);
    let mut t = 0.0;
    let mut clock = || {
        t += 100.0;
        t
    };
    session.run_chunk(&mut clock);
    // Trained, but running and only 0.1 s since the network was made.
    assert!(session.checkpoint_due(100.0).is_none());
    let kept = session
        .checkpoint_due(10_000.0)
        .expect("10 s later it is kept");
    assert_eq!(kept.info.updates, 1);
    assert_eq!(kept.info.config, config);
    assert_eq!(
        Mlp::from_safetensors(&kept.bytes).unwrap().spec,
        nnlab::nn::MlpSpec::lecture_cifar()
    );
    // Nothing new since: not kept again, however long it waits.
    assert!(session.checkpoint_due(30_000.0).is_none());
    session.run_chunk(&mut clock);
    assert!(
        session.checkpoint_due(10_500.0).is_none(),
        "only 0.5 s later"
    );
    // A pause keeps what is new at once.
    session.handle(ToWorker::Pause, 10_600.0);
    let kept = session.checkpoint_due(10_600.0).expect("kept on pause");
    assert_eq!(kept.info.updates, 2);
    // ⌊64/16⌋ = 4 iterations make an epoch: none finished yet.
    assert_eq!(kept.info.epochs, 0);
    assert!(kept.info.test_accuracy.is_some(), "evaluated when set up");
}

#[test]
fn save_and_load_give_the_same_network_and_bad_files_are_refused() {
    let mut session = Session::new();
    session.set_data(synthetic(), 0.0);
    let mut saved = Vec::new();
    for format in SaveFormat::ALL {
        let [ToPage::Model { name, bytes, .. }] =
            &session.handle(ToWorker::Save { format }, 0.0)[..]
        else {
            panic!("no {format:?} file");
        };
        saved.push((name.clone(), bytes.clone()));
    }
    let names: Vec<&str> = saved.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "nnlab-model.safetensors",
            "nnlab-model.json",
            "nnlab-model_pytorch.py",
            "nnlab-model_paddle.py",
            "nnlab-model_numpy.py"
        ]
    );
    let script = String::from_utf8(saved[2].1.clone()).unwrap();
    assert!(
        script.contains("    nn.Linear(3072, 100), nn.ReLU(),\n"),
        "{script}"
    );
    assert!(script.contains("\"nnlab-model.safetensors\""), "{script}");
    // Both weight files load back as the same network.
    let json_net = Mlp::from_model_file(&saved[1].1).unwrap();
    assert_eq!(Mlp::from_model_file(&saved[0].1).unwrap(), json_net);
    for bytes in [saved[0].1.clone(), saved[1].1.clone()] {
        let out = session.handle(
            ToWorker::LoadModel {
                bytes,
                config: RunConfig::lecture(),
            },
            0.0,
        );
        assert!(matches!(
            &out[0],
            ToPage::NetworkReady {
                from_file: true,
                ..
            }
        ));
    }
    let out = session.handle(
        ToWorker::LoadModel {
            bytes: b"{\"format\":\"x\"".to_vec(),
            config: RunConfig::lecture(),
        },
        0.0,
    );
    assert!(
        matches!(&out[0], ToPage::Error { message } if message.contains("JSON")),
        "{out:?}"
    );
    let mut cut = saved[0].1.clone();
    cut.truncate(cut.len() / 2);
    let out = session.handle(
        ToWorker::LoadModel {
            bytes: cut,
            config: RunConfig::lecture(),
        },
        0.0,
    );
    assert!(
        matches!(&out[0], ToPage::Error { message } if message.contains("safetensors")),
        "{out:?}"
    );
    let out = session.handle(ToWorker::Probe { index: 20 }, 0.0);
    assert!(matches!(&out[0], ToPage::Error { .. }));
}

/// The event of records `first..first + n` of `file` (as [`records`] makes them).
fn arriving(file: BatchFile, first: usize, n: usize) -> StreamEvent {
    let all = records(first + n);
    let (labels, images): (Vec<u8>, Vec<u8>) = (
        all.chunks(RECORD_BYTES).skip(first).map(|r| r[0]).collect(),
        all.chunks(RECORD_BYTES)
            .skip(first)
            .flat_map(|r| r[1..].to_vec())
            .collect(),
    );
    StreamEvent::Records {
        file,
        first,
        labels,
        images,
    }
}

fn last_stats(out: &[ToPage]) -> Option<Stats> {
    out.iter().rev().find_map(|m| match m {
        ToPage::Stats(s) => Some(s.clone()),
        _ => None,
    })
}

#[test]
fn training_starts_on_the_first_batches_and_grows_with_the_download() {
    let mut session = Session::new();
    let b4 = BatchFile::Train(4);
    session.begin_load(DataSource::Network, 10_000, 50_000, 0.0);
    let out = session.load_events(
        vec![
            StreamEvent::FileStarted {
                file: b4,
                records: 300,
            },
            arriving(b4, 0, 100),
        ],
        1000,
        // Past PROGRESS_EVERY_MS since the load began: progress is due.
        300.0,
    );
    // 100 received: every fifth (20) held out and shown, 80 to train on.
    assert!(
        out.iter().any(|m| matches!(m, ToPage::Samples { held_out: true, images, .. } if images.len() == 20 * 3072)),
        "{out:?}"
    );
    assert!(out
        .iter()
        .any(|m| matches!(m, ToPage::Progress(l) if l.train == 100 && l.train_expected == 40_300)));
    assert!(out
        .iter()
        .any(|m| matches!(m, ToPage::Test(t) if t.held_out && t.samples == 20)));
    assert!(out.iter().any(|m| matches!(m, ToPage::NetworkReady { .. })));

    let config = RunConfig {
        batch_size: 16,
        ..RunConfig::lecture()
    };
    session.handle(ToWorker::Configure { config }, 20.0);
    session.handle(ToWorker::Run, 20.0);
    let mut t = 20.0;
    let mut clock = || {
        t += 100.0;
        t
    };
    let stats = last_stats(&session.run_chunk(&mut clock)).expect("stats");
    assert!(stats.streaming);
    assert_eq!((stats.train_images, stats.train_wanted), (80, 40_300));
    assert_eq!(stats.iterations_per_epoch, 5, "⌊80 / 16⌋");
    assert_eq!(stats.eta_secs, None, "no ETA while the data streams in");

    // The rest of the batch arrives: the next pass trains on 80 + 160.
    session.load_events(
        vec![arriving(b4, 100, 200), StreamEvent::FileEnded { file: b4 }],
        5000,
        500.0,
    );
    let mut stats = stats;
    for _ in 0..10 {
        if let Some(s) = last_stats(&session.run_chunk(&mut clock)) {
            stats = s;
        }
    }
    assert_eq!(stats.train_images, 240, "300 received, 60 held out");
    assert!(stats.updates >= 10);

    // The test set: evaluations move to it, the held-out images join training.
    let t_file = BatchFile::Test;
    let out = session.load_events(
        vec![
            StreamEvent::FileStarted {
                file: t_file,
                records: 20,
            },
            arriving(t_file, 0, 20),
            StreamEvent::FileEnded { file: t_file },
        ],
        9000,
        900.0,
    );
    assert!(out.iter().any(|m| matches!(
        m,
        ToPage::Samples {
            held_out: false,
            ..
        }
    )));
    assert!(out
        .iter()
        .any(|m| matches!(m, ToPage::Test(t) if !t.held_out && t.samples == 20)));
    // The stream ends: that was all (one batch file), 300 images to train on.
    let out = session.end_load(Ok(()), 1000.0);
    assert!(
        out.iter().any(|m| matches!(
            m,
            ToPage::DataReady {
                train: 300,
                test: 20
            }
        )),
        "{out:?}"
    );
    for _ in 0..60 {
        if let Some(s) = last_stats(&session.run_chunk(&mut clock)) {
            stats = s;
        }
    }
    assert!(!stats.streaming);
    assert_eq!((stats.train_images, stats.train_wanted), (300, 300));
    assert_eq!(stats.iterations_per_epoch, 18, "⌊300 / 16⌋");
    // Epochs count from the first pass over all 300 (60 chunks of one step
    // after it began: at most 3 full epochs, not the dozens of small passes).
    assert!(stats.epoch <= 3, "{stats:?}");
}

#[test]
fn a_broken_download_keeps_what_arrived_and_says_why() {
    let mut session = Session::new();
    let b4 = BatchFile::Train(4);
    session.begin_load(DataSource::Network, 10_000, 50_000, 0.0);
    session.load_events(vec![arriving(b4, 0, 100)], 1000, 10.0);
    let out = session.end_load(
        Err(nnlab::Error::InvalidData(
            "the archive ends after 1,000 bytes".into(),
        )),
        20.0,
    );
    assert!(matches!(&out[0], ToPage::DataFailed { message } if message.contains("1,000 bytes")));
    assert!(
        session.has_data(),
        "the 100 images that arrived stay in use"
    );
    assert_eq!(session.handle(ToWorker::Run, 30.0).len(), 1);
    assert!(session.running());

    // Nothing usable arrived: nothing is kept.
    let mut empty = Session::new();
    empty.begin_load(DataSource::Network, 10, 50_000, 0.0);
    let out = empty.end_load(
        Err(nnlab::Error::InvalidData("not a gzip file".into())),
        1.0,
    );
    assert_eq!(out.len(), 1);
    assert!(!empty.has_data());
}

#[test]
fn a_new_load_over_complete_data_replaces_it_only_when_it_succeeds() {
    let mut session = Session::new();
    session.set_data(synthetic(), 0.0);
    session.begin_load(DataSource::File, 10, 50_000, 1.0);
    session.load_events(vec![arriving(BatchFile::Train(1), 0, 7)], 5, 2.0);
    let out = session.end_load(Err(nnlab::Error::InvalidData("cut off".into())), 3.0);
    assert_eq!(out.len(), 1, "{out:?}");
    // The complete data and its network are still there.
    assert!(session.has_data());
    assert_eq!(session.handle(ToWorker::Run, 4.0).len(), 1);
}

#[test]
fn a_race_trains_three_lanes_to_the_end_of_its_budget_and_pauses_the_run() {
    use crate::protocol::{LaneStage, RaceBudget};
    let mut session = Session::new();
    let budget = RaceBudget {
        train_size: 64,
        epochs: 2,
    };
    // Before any data: refused, with the reason.
    let out = session.handle(ToWorker::StartRace { budget }, 0.0);
    assert!(matches!(&out[0], ToPage::Error { message } if message.contains("not all arrived")));

    session.set_data(synthetic(), 0.0);
    session.handle(ToWorker::Run, 0.0);
    let out = session.handle(ToWorker::StartRace { budget }, 1.0);
    // The lecture's run pauses; the race begins with every lane preparing.
    assert!(matches!(&out[0], ToPage::Stats(s) if !s.running), "{out:?}");
    let ToPage::Race(report) = &out[1] else {
        panic!("no race report in {out:?}");
    };
    assert!(report.running);
    assert_eq!((report.train_images, report.test_images), (64, 20));
    assert_eq!(report.lanes.len(), 3);
    assert_eq!(
        report.lanes[1].stage,
        LaneStage::Preparing { done: 0, total: 84 },
        "the features of 64 training and 20 test images"
    );
    // 3072·10 + 10; (324 + 10)·10 + 10; the lecture's MLP.
    let params: Vec<usize> = report.lanes.iter().map(|l| l.params).collect();
    assert_eq!(params, vec![30_730, 3_350, 401_518]);

    let mut t = 1.0;
    let mut clock = || {
        t += 100.0;
        t
    };
    let mut last = None;
    for _ in 0..200 {
        assert!(session.running() || last.is_some());
        for message in session.run_chunk(&mut clock) {
            if let ToPage::Race(r) = message {
                last = Some(r);
            }
        }
        if !session.running() {
            break;
        }
    }
    let last = last.expect("race reports");
    assert!(!last.running && !session.running(), "{last:?}");
    for lane in &last.lanes {
        assert_eq!(lane.stage, LaneStage::Done);
        // Untrained, after epoch 1, after epoch 2.
        assert_eq!(lane.accuracies.len(), 3, "{lane:?}");
        assert!(lane.accuracies.iter().all(|a| (0.0..=1.0).contains(a)));
    }
    // A finished race does not resume.
    session.handle(ToWorker::RunRace { running: true }, 0.0);
    assert!(!session.running());
}

#[test]
fn an_image_is_described_by_its_hog_cells_and_hues() {
    let mut session = Session::new();
    session.set_data(synthetic(), 0.0);
    let out = session.handle(ToWorker::ImageFeatures { index: 3 }, 0.0);
    let [ToPage::ImageFeatures(f)] = &out[..] else {
        panic!("{out:?}");
    };
    // 32×32 in 8×8 cells: 4×4 cells of 9 bins centred on 10°, 30°, …
    assert_eq!((f.index, f.cell_rows, f.cell_cols), (3, 4, 4));
    assert_eq!(f.bin_degrees[0], 10.0);
    assert_eq!(f.cells.len(), 4 * 4 * 9);
    // Image 3 is one flat grey (every byte 3): no gradient, no hue (red's bin).
    assert!(f.cells.iter().all(|&v| v == 0.0));
    assert_eq!(f.hues[0], 1.0);
    let out = session.handle(ToWorker::ImageFeatures { index: 20 }, 0.0);
    assert!(matches!(&out[0], ToPage::Error { .. }));
}

#[test]
fn the_page_gets_training_images_once_all_have_arrived() {
    let mut session = Session::new();
    let out = session.set_data(synthetic(), 0.0);
    let training: Vec<_> = out
        .iter()
        .filter_map(|m| match m {
            ToPage::TrainingImages {
                images,
                labels,
                total,
                ..
            } => {
                // In arrival order (the held-out ones last): sorted to compare.
                let mut labels = labels.clone();
                labels.sort();
                Some((images.len(), labels, *total))
            }
            _ => None,
        })
        .collect();
    // All 64 training images (fewer than PAGE_TRAINING_IMAGES), not the 20 test images.
    let mut labels: Vec<u8> = (0..64).map(|i| (i % 10) as u8).collect();
    labels.sort();
    assert_eq!(training, vec![(64 * 3072, labels, 64)]);
    // While a download streams, none are sent: only at its end.
    let mut streaming = Session::new();
    streaming.begin_load(DataSource::Network, 10_000, 50_000, 0.0);
    let b1 = BatchFile::Train(1);
    let out = streaming.load_events(vec![arriving(b1, 0, 100)], 1000, 300.0);
    assert!(!out
        .iter()
        .any(|m| matches!(m, ToPage::TrainingImages { .. })));
}

#[test]
fn each_evaluation_request_is_answered_even_at_the_same_update() {
    let mut session = Session::new();
    session.set_data(synthetic(), 0.0);
    for request in [1, 2] {
        let out = session.handle(ToWorker::Evaluate { request }, 10.0);
        assert!(
            matches!(&out[0], ToPage::Test(t) if t.updates == 0),
            "{out:?}"
        );
        assert_eq!(out[1], ToPage::Evaluated { request });
    }
}

#[test]
fn a_photo_is_classified_by_the_current_network() {
    // Before any data there is no network to ask.
    let mut session = Session::new();
    let out = session.handle(
        ToWorker::Classify {
            request: 1,
            pixels: vec![128; 3072],
        },
        0.0,
    );
    assert!(
        matches!(&out[..], [ToPage::Error { message }] if message.contains("no network")),
        "{out:?}"
    );

    session.set_data(synthetic(), 0.0);
    start_small_run(&mut session);
    let mut t = 0.0;
    let mut clock = || {
        t += 100.0;
        t
    };
    for _ in 0..5 {
        session.run_chunk(&mut clock);
    }
    session.handle(ToWorker::Pause, 1000.0);
    // A photo: a grey gradient, in the record's layout.
    let pixels: Vec<u8> = (0..3072).map(|i| (i % 256) as u8).collect();
    let out = session.handle(ToWorker::Classify { request: 7, pixels }, 100.0);
    let [ToPage::Classified(c)] = &out[..] else {
        panic!("{out:?}");
    };
    assert_eq!(
        (c.request, c.updates),
        (7, 5),
        "five chunks of one step each (100 ms a step)"
    );
    assert_eq!(c.probabilities.len(), 10);
    let sum: f32 = c.probabilities.iter().sum();
    assert!((sum - 1.0).abs() < 1e-5, "{sum}");
    // The top three, most likely first, are the three largest probabilities.
    let top = snapshot::top_k(&c.probabilities, 3);
    assert!(top[0].1 >= top[1].1 && top[1].1 >= top[2].1, "{top:?}");
    let mut sorted = c.probabilities.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    assert_eq!(top.iter().map(|t| t.1).collect::<Vec<_>>(), sorted[..3]);
    // One test image per class: the first of each (test image i has label i % 10).
    let examples: Vec<(usize, usize)> = c.examples.iter().map(|e| (e.index, e.label)).collect();
    assert_eq!(examples, (0..10).map(|i| (i, i)).collect::<Vec<_>>());
    for example in &c.examples {
        let sum: f32 = example.probabilities.iter().sum();
        assert!((sum - 1.0).abs() < 1e-5);
    }
    // The same photo with the same network: the same answer.
    let again = session.handle(
        ToWorker::Classify {
            request: 8,
            pixels: (0..3072).map(|i| (i % 256) as u8).collect(),
        },
        100.0,
    );
    assert!(matches!(&again[..], [ToPage::Classified(d)] if d.probabilities == c.probabilities));
    // Not a CIFAR-10 record's size: the core's message.
    let out = session.handle(
        ToWorker::Classify {
            request: 9,
            pixels: vec![0; 100],
        },
        100.0,
    );
    assert!(
        matches!(&out[..], [ToPage::Error { message }] if message.contains("needs 3072")),
        "{out:?}"
    );
}

#[test]
fn a_learning_rate_of_1_collapses_the_run_and_it_pauses() {
    let mut session = Session::new();
    session.set_data(synthetic(), 0.0);
    let config = RunConfig {
        lr: 1.0,
        batch_size: 16,
        ..RunConfig::lecture()
    };
    session.handle(ToWorker::Configure { config }, 0.0);
    session.handle(ToWorker::Run, 0.0);
    let mut t = 0.0;
    let mut clock = || {
        t += 10.0;
        t
    };
    let mut stats = None;
    // Adam at lr 1 blows the logits up at once, then guesses at chance;
    // the collapse is seen after WINDOW points of POINT_EVERY updates.
    for _ in 0..1000 {
        if let Some(s) = last_stats(&session.run_chunk(&mut clock)) {
            stats = Some(s);
        }
        if !session.running() {
            break;
        }
    }
    let stats = stats.expect("stats");
    assert!(
        stats.collapsed && !stats.running && !stats.diverged,
        "{stats:?}"
    );
    assert!(stats.updates >= crate::collapse::WINDOW * POINT_EVERY);
    // Resumed (say with a smaller rate), it is judged afresh.
    session.handle(ToWorker::SetLr { lr: 0.001 }, 1.0);
    let out = session.handle(ToWorker::Run, 1.0);
    assert!(matches!(&out[0], ToPage::Stats(s) if s.running && !s.collapsed));
}
