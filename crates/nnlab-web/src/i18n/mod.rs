//! Every string the user sees, in one table per language.
//!
//! Code elsewhere names a [`Key`] and never writes user-visible text itself, so
//! a translation is complete exactly when `zh::text` and `en::text` compile
//! (their `match` is exhaustive). Texts with blanks use `{name}` placeholders,
//! filled by [`fill`]; both languages must use the same placeholders.

mod en;
mod zh;

/// The two languages of the app: the lecture's Chinese and English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Chinese (简体中文), the lecture's language.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Both languages, in the order the app offers them.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Reads a tag such as `zh`, `zh-TW`, `en-GB`; `None` for other languages.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first of the browser's preferred languages that we speak, else English.
    pub fn preferred<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or(Lang::En)
    }

    /// The other language (what the switch button offers).
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The text for `key` in this language.
    pub fn text(self, key: Key) -> &'static str {
        match self {
            Lang::Zh => zh::text(key),
            Lang::En => en::text(key),
        }
    }

    /// The text for `key` with its `{name}` placeholders filled in.
    pub fn fill(self, key: Key, values: &[(&str, &str)]) -> String {
        fill(self.text(key), values)
    }
}

/// Replaces each `{name}` in `template` by its value; unknown names stay as they are.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The `{name}` placeholders of a template, in order of appearance.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                names.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    names
}

/// Declares [`Key`] and [`Key::ALL`] from one list, so adding a text is one
/// line here plus one line in each language's table.
macro_rules! keys {
    ($( $(#[$meta:meta])* $name:ident ),* $(,)?) => {
        /// Names every user-visible text. Grouped by where it appears.
        // Each key's text in `zh.rs` and `en.rs` is its documentation; a doc
        // comment per key would only say it again.
        #[allow(missing_docs)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key {
            $( $(#[$meta])* $name ),*
        }

        impl Key {
            /// Every key, for checking that both tables are complete and consistent.
            pub const ALL: &'static [Key] = &[ $(Key::$name),* ];
        }
    };
}

keys! {
    // --- page chrome
    AppTitle,
    AppSubtitle,
    /// The switch button shows the language it switches *to*, in that language.
    LangSwitch,
    LangSwitchHint,
    // the colour theme chooser (crate::theme)
    ThemeLabel,
    ThemeSystem,
    ThemeLight,
    ThemeDark,
    NavHeading,
    ErrorPrefix,
    ErrorReload,
    KeySentenceLabel,
    PartOverview,
    PartFirstLook,

    // --- the sections of the lecture (menu titles and their key sentences)
    DepthTitle,
    DepthSentence,
    HowItWorksTitle,
    HowItWorksSentence,
    NeuronsTitle,
    NeuronsSentence,
    InputDataTitle,
    InputDataSentence,
    WeightInitTitle,
    WeightInitSentence,
    TrainingTitle,
    TrainingSentence,
    LossOptimTitle,
    LossOptimSentence,
    DerivativeTitle,
    DerivativeSentence,
    SgdTitle,
    SgdSentence,
    LocalMinimaTitle,
    LocalMinimaSentence,
    Descent2dTitle,
    Descent2dSentence,
    MomentumTitle,
    MomentumSentence,
    BackpropTitle,
    BackpropSentence,
    NetworkTitle,
    NetworkSentence,
    GradientTitle,
    GradientSentence,
    LiveTrainingTitle,
    LiveTrainingSentence,

    // --- 2-D descent lesson: controls
    Descent2dIntro,
    SurfaceLabel,
    FormulaLabel,
    OptimizerLabel,
    LearningRateLabel,
    MomentumLabel,
    SpeedLabel,
    SpeedUnit,
    Play,
    Pause,
    Step,
    Reset,
    CanvasDescription,
    PathLabel,
    KeyboardHint,

    // --- 2-D descent lesson: surfaces and optimisers
    SurfaceRosenbrock,
    SurfaceBeale,
    SurfaceHimmelblau,
    SurfaceIllConditioned,
    SurfaceSaddle,
    SurfacePlateau,
    OptSgd,
    OptMomentum,
    OptNesterov,
    OptAdagrad,
    OptRmsProp,
    OptAdam,

    // --- 2-D descent lesson: read-outs and status
    StepsReadout,
    LossReadout,
    PointReadout,
    GradReadout,
    StatusReady,
    StatusRunning,
    StatusPaused,
    StatusConverged,
    StatusDivergedNotFinite,
    StatusDivergedExploding,

    // --- @lesson:derivative-gradient-descent1d (helper A adds its keys below this line)
    /// Derivative lesson.
    DerivIntro,
    DerivCanvasDescription,
    DerivLegendTangent,
    DerivLegendSecant,
    DerivLegendGap,
    DerivSlopeReadout,
    DerivFdReadout,
    DerivCompareReadout,
    DerivGapReadout,
    DerivEpsLabel,
    DerivSpeedUnit,
    DerivKeyboardHint,
    DerivFlat,
    DerivUphillRight,
    DerivDownhillRight,
    /// Gradient lesson.
    GradIntro,
    GradCanvasDescription,
    GradLegendField,
    GradLegendGradient,
    GradLegendStep,
    GradW0Readout,
    GradGradReadout,
    GradW1Readout,
    GradLossesReadout,
    GradStepLabel,
    GradKeyboardHint,
    GradGoesDown,
    GradGoesUp,
    GradStopped,
    GradDiverged,
    /// 1-D descent lesson (SGD and local minima sections).
    Sgd1dIntroSgd,
    Sgd1dIntroLocal,
    Sgd1dCanvasDescription,
    Sgd1dChartDescription,
    Sgd1dXReadout,
    Sgd1dSlopeReadout,
    Sgd1dPresetLabel,
    Sgd1dPresetTooSmall,
    Sgd1dPresetGood,
    Sgd1dPresetTooLarge,
    Sgd1dNoiseLabel,
    Sgd1dNoiseNote,
    Sgd1dKeyboardHint,
    Sgd1dChartStep,
    Sgd1dChartLoss,
    Sgd1dChartGlobal,
    Sgd1dChartLocal,
    Sgd1dReady,
    Sgd1dReachedGlobal,
    Sgd1dStuckLocal,
    Sgd1dOutOfSteps,
    Sgd1dValleyGlobal,
    Sgd1dValleyLocal,
    Sgd1dDivergedExploding,
    Sgd1dDivergedNotFinite,

    // --- @lesson:race-momentum-shared (helper B adds its keys below this line)
    // shared controls: presenter mode, links, export
    PresenterToggle,
    PresenterHint,
    // layout for a class: presenter menu, skip link
    /// The button that brings the menu back in presenter mode.
    MenuToggle,
    /// Its tooltip.
    MenuToggleHint,
    /// The first Tab stop: past the menu, into the lesson.
    SkipToLesson,
    NoticeDismiss,
    UrlNotice,
    SliderRefused,
    UrlNoticeIgnored,
    UrlNoticeNoLesson,
    UrlNoticeMore,
    UrlProblemNoSuchLesson,
    UrlProblemUnknownName,
    UrlProblemNotANumber,
    UrlProblemOutOfRange,
    UrlProblemRepeated,
    UrlProblemIncomplete,
    UrlProblemUnknownKey,
    UrlProblemTooLong,
    // embedding: hide=, origin=, and the host page's messages (crate::host_bridge)
    UrlProblemUnknownControl,
    UrlProblemNotAnOrigin,
    UrlProblemLinkOnly,
    HostBadMessage,
    HostUnknownType,
    HostNoQuery,
    HostNoPlay,
    HostNoStep,
    HostNoReset,
    HostLinkOnly,
    ExportLabel,
    ExportPngHint,
    ExportSvgHint,
    ExportTitle,
    // the 2-D descent race
    PresetsLabel,
    PresetAllSix,
    PresetValley,
    PresetSaddle,
    PresetPlateau,
    RunnersLabel,
    BudgetLabel,
    BudgetUnit,
    StartReadout,
    RaceChartDescription,
    ChartStepAxis,
    ChartLossAxis,
    StatusNobodyRaces,
    StatusRaceOver,
    RunnerOutOfSteps,
    BadgeConverged,
    BadgeOutOfSteps,
    BadgeDiverged,
    MemoryMomentum,
    MemoryAlpha,
    MemoryBeta1,
    // momentum, step by step
    MomentumIntro,
    MomentumCodeHeading,
    MomentumSurfaceLabel,
    MomentumSurfaceValley,
    MomentumSurfaceDoubleWell,
    MomentumWithHeading,
    MomentumWithoutHeading,
    MomentumLossNote,
    MomentumCanvasDescription,
    MomentumLinesUnit,
    MomentumIterations,
    MomentumArrowVelocity,
    MomentumArrowGradient,
    MomentumArrowScale,
    MomentumStatusReady,
    MomentumStatusRunning,
    MomentumStatusDone,
    MomentumStatusGaveUp,
    MomentumSgdDone,
    MomentumSgdStuck,
    MomentumSgdWalking,
    CodeComment1,
    CodeComment2,
    CodeComment3,
    CodeComment4,
    CodeComment7,
    CodeComment8,

    // --- @lesson:neurons-network-backprop (helper C adds its keys below this line)
    NeuronsIntro,
    NeuronsLayerHeading,
    NeuronsWeightCaption,
    NeuronsInputCaption,
    NeuronsBiasCaption,
    NeuronsNeuronLabel,
    NeuronsPreLabel,
    NeuronsOutputLabel,
    NeuronsActivationLabel,
    NeuronsPlotFunction,
    NeuronsPlotDerivative,
    NeuronsPlotDescription,
    NeuronsPlotNote,
    NeuronsSilent,
    NeuronsSaturated,
    NeuronsFieldWeight,
    NeuronsFieldInput,
    NeuronsFieldBias,
    NumberEmpty,
    NumberNotANumber,
    NumberTooLarge,
    NetworkIntro,
    NetworkPresetLabel,
    NetworkPresetLecture,
    NetworkPresetCifar,
    NetworkPresetCustom,
    NetworkFieldInput,
    NetworkInputHint,
    NetworkFieldLayers,
    NetworkLayersHint,
    NetworkActivationLabel,
    NetworkFieldBatch,
    NetworkBatchHint,
    NetworkColLayer,
    NetworkColInput,
    NetworkColOutput,
    NetworkColParams,
    NetworkTotal,
    NetworkTrainable,
    NetworkNonTrainable,
    NetworkMemory,
    NetworkInputColumn,
    NetworkParamsBetween,
    NetworkDrawingDescription,
    NetworkDrawingNote,
    NetworkEmpty,
    NetworkNotWhole,
    NetworkHuge,
    NetworkZeroInput,
    NetworkZeroLayer,
    NetworkTooManyLayers,
    NetworkBatchRange,
    NetworkTooManyParams,
    BackpropIntro,
    BackpropPresetLabel,
    BackpropPresetChain,
    BackpropPresetLecture,
    BackpropPresetNeuron,
    BackpropDataTag,
    BackpropToEnd,
    BackpropStepCounter,
    BackpropStartText,
    BackpropSeedText,
    BackpropVisitText,
    BackpropFlowText,
    BackpropLeafText,
    BackpropDataText,
    BackpropDoneText,
    BackpropGradOnNode,
    BackpropGraphDescription,
    BackpropCheckHeading,
    BackpropColParam,
    BackpropColBackprop,
    BackpropColFd,
    BackpropColRel,
    BackpropCheckPending,
    BackpropCheckPass,
    BackpropCheckFail,
    BackpropNotFinite,
    BackpropStale,

    // --- @lesson:data-live-training-representations (helper D1 adds its keys below this line)
    /// Under the samples/s: the training Worker runs relaxed SIMD's fused multiply-add.
    LiveEngineRelaxed,
    /// Under the samples/s: the training Worker runs plain SIMD128.
    LiveEnginePlain,
    /// Tooltip of the Worker build: what it means and how to compare.
    LiveEngineHint,
    LiveWorkers,
    LiveWorkersHint,
    LiveWorkersMeasured,
    LiveOneWorkerMeasured,
    LiveWorkersMeasuring,
    LiveStepTimes,
    LiveMeasuredSteps,
    LiveMeasuredStepsAgain,
    DepthIntro,
    DepthQuote,
    DepthUntrained,
    DepthFromFile,
    DepthTrained,
    DepthGoLive,
    DepthPickTitle,
    DepthPickHint,
    DepthActTitle,
    DepthActExplain,
    DepthActInput,
    DepthActHidden,
    DepthActOutput,
    DepthCloudsTitle,
    DepthCloudsExplain,
    DepthCloudPixels,
    DepthCloudHidden,
    DepthCloudOutput,
    DepthCloudVariance,
    DepthSeparation,
    DepthSeparationExplain,
    DepthNoCloud,
    LiveNetworkTraining,
    ClassAirplane,
    ClassAutomobile,
    ClassBird,
    ClassCat,
    ClassDeer,
    ClassDog,
    ClassFrog,
    ClassHorse,
    ClassShip,
    ClassTruck,
    DataLooking,
    DataMissingText,
    DataHowToIntro,
    DataHowToScript,
    DataHowToManual,
    DataOthersWork,
    DataDropHint,
    DataChooseFiles,
    DataFetching,
    DataReading,
    DataDecoding,
    DataReadyText,
    DataFailedText,
    DataKeptOld,
    DataStreaming,
    DataFromDevice,
    DataFromFile,
    DataPartial,
    DataStored,
    DataForget,
    DataHeldOutNote,
    InputDataIntro,
    InputFacts,
    InputCorrection,
    GalleryTitle,
    GalleryFilter,
    GalleryAllClasses,
    GalleryMore,
    GalleryHint,
    VecTitle,
    VecExplain,
    VecPlaneR,
    VecPlaneG,
    VecPlaneB,
    VecStripLabel,
    VecHoverHint,
    VecHover,
    LiveIntro,
    LiveBatch,
    LiveInit,
    LiveTrainSize,
    LiveStart,
    LiveResume,
    LiveNewNetwork,
    LiveEvaluate,
    LiveSave,
    LiveSaveAs,
    LiveSaveSafetensors,
    LiveSaveJson,
    LiveSavePytorch,
    LiveSavePaddle,
    LiveSaveNumpy,
    LiveKeptNow,
    LiveKeptOffer,
    LiveKeptAccuracy,
    LiveResumeKept,
    LiveLoad,
    LiveControlsHint,
    LiveNetworkFresh,
    LiveNetworkFromFile,
    LiveDiverged,
    LiveError,
    LiveEpoch,
    LiveIteration,
    LiveUpdates,
    LiveSpeed,
    LiveEta,
    LiveTrainLoss,
    LiveTrainAcc,
    LiveTestAcc,
    LiveLossChart,
    LiveAccChart,
    LiveIterationsAxis,
    LiveTrainSeries,
    LiveTestSeries,
    LiveHeldOutSeries,
    LiveHeldOutAcc,
    LiveNetworkStreaming,
    LivePassLabel,
    GalleryTitleHeldOut,
    DepthTrainedHeldOut,
    LiveEvaluateHeldOut,
    LiveCardsTitleHeldOut,
    LiveConfusionHeldOut,
    LiveOneWorkerNotIsolated,
    LiveWeightsTitle,
    LiveWeightsExplain,
    LiveConfusionTitle,
    LiveConfusionExplain,
    LiveConfusionCaption,
    LiveClassAcc,
    LiveCardsTitle,
    LiveCardTrue,

    // --- @lesson:init-training-loop (helper D2 adds its keys below this line)
    // loss function and optimiser lesson, how-it-works lesson (helper F)
    LossIntro,
    LossLogitsHeading,
    LossCodeStep,
    LossCodeAdam,
    LossCodeLoss,
    LossCodeMetric,
    LossProbsHeading,
    LossGradHeading,
    LossCanvasDescription,
    LossTruthLabel,
    LossPresetsLabel,
    LossPresetRight,
    LossPresetUniform,
    LossPresetUnsure,
    LossPresetWrong,
    LossReadoutLoss,
    LossReadoutPTrue,
    LossReadoutPredicted,
    LossReadoutAccuracy,
    LossReadoutGradSum,
    LossPredRight,
    LossPredWrong,
    LossPredTie,
    LossSlidersHeading,
    LossExplainCe,
    LossExplainUniform,
    LossExplainAccuracy,
    LossExplainGrad,
    LossOptHeading,
    LossPrepareCaption,
    LossOptLecture,
    LossOptRulesIntro,
    LossOptSgdName,
    LossOptSgdNote,
    LossOptMomentumNote,
    LossOptAdagradNote,
    LossOptRmsPropNote,
    LossOptAdamNote,
    LossRaceButton,
    LossAdviceHeading,
    LossAdvice1,
    LossAdvice2,
    HowIntro,
    HowPic1Title,
    HowPic1Body,
    HowPic2Title,
    HowPic2Body,
    HowPic3Title,
    HowPic3Body,
    HowStageWeights,
    HowStagePrediction,
    HowStageLoss,
    HowStageUpdate,
    HowStageWeightsValue,
    HowStagePredictionValue,
    HowStageLossValue,
    HowStageUpdateValue,
    HowLoopLabel,
    HowDataLabel,
    HowDataMoons,
    HowDataCircles,
    HowHiddenLabel,
    HowReinit,
    HowSeedReadout,
    HowMapDescription,
    HowMapLegend,
    HowWeightsCaption,
    HowCurveTitle,
    HowCurveDescription,
    HowCurveAxis,
    HowCurveEmpty,
    HowReadoutSteps,
    HowReadoutLoss,
    HowReadoutMistakes,
    HowReadoutAccuracy,
    HowNotYet,
    HowDiverged,
    HowSummaryTitle,
    HowSummary1,
    HowSummary2,
    HowSummary3,
    HowSummary4,
    // weight initialisation lesson
    InitIntro,
    InitInitLabel,
    InitSmallNormal,
    InitSmallUniform,
    InitXavierUniform,
    InitXavierNormal,
    InitHeUniform,
    InitHeNormal,
    InitPyTorch,
    InitZeros,
    InitScaleLabel,
    InitNetworkLabel,
    InitNetLecture,
    InitNetDeep,
    InitActivationLabel,
    InitActRelu,
    InitActTanh,
    InitActSigmoid,
    InitActIdentity,
    InitSeedLabel,
    InitRedraw,
    InitSourceStandIn,
    InitSourceLoading,
    InitSourceCifar,
    InitComputing,
    InitError,
    InitVerdictSymmetric,
    InitVerdictVanishing,
    InitVerdictExploding,
    InitVerdictHealthy,
    InitCanvasDescription,
    InitHistNote,
    InitWeightsHeading,
    InitActivationsHeading,
    InitLayerShort,
    InitLayerName,
    InitInputRow,
    InitColLayer,
    InitColWeightStd,
    InitColActMean,
    InitColActStd,
    InitColZeros,
    // training loop lesson
    TrainIntro,
    TrainCodeLabel,
    TrainStep1,
    TrainStep2,
    TrainStep3,
    TrainStep4,
    TrainStep5,
    TrainNextStep,
    TrainNextBatch,
    TrainEpoch,
    TrainBatchId,
    TrainUpdates,
    TrainIterationsPerEpoch,
    TrainOptSgd,
    TrainOptAdam,
    TrainBatchSize,
    TrainSourceCifar,
    TrainSourceLoading,
    TrainSourceSynthetic,
    TrainThumbsDescription,
    TrainProbsDescription,
    TrainNote1,
    TrainNote2,
    TrainNote3,
    TrainNote4,
    TrainNote5,
    TrainCurveTitle,
    TrainCurveDescription,
    TrainCurveEmpty,
    TrainCurveAxis,
    TrainArithTitle,
    TrainArithPage,
    TrainArithLecture,
    TrainArithSlide,
    TrainDiverged,
    TrainNext,
    TrainLossValue,
    TrainNotYet,
    /// Column titles separated by `|`.
    TrainGradHeader,
    /// Column titles separated by `|`.
    TrainDeltaHeader,
    TrainLayer,
    TrainPatchClass,

    // --- feature engineering vs end to end (lesson feature-engineering)
    FeatureEngTitle,
    FeatureEngSentence,
    FeatureEngIntro,
    FeRaceTitle,
    FeTrainSize,
    FeEpochs,
    FeRun,
    FePause,
    FeResume,
    FeLaneRaw,
    FeLaneFeatures,
    FeLaneMlp,
    FeEpochAxis,
    FeChartEmpty,
    FeChartDescription,
    FeWaitData,
    FeReady,
    FeLanePreparing,
    FeLaneTraining,
    FeLaneDone,
    FeLaneDiverged,
    FeFeaturesTitle,
    FeFeaturesExplain,
    FePrev,
    FeNext,
    FeHogCaption,
    FeHueCaption,
    FeGlyphsDescription,
    FeConclusionTitle,
    FeVerdictPending,
    FeVerdictNumbers,
    FeVerdictFeaturesWin,
    FeVerdictMlpWins,
    FeWhyEndToEnd,
    FeSeeTheGap,
    FeKeyboard,
    // --- @live-honest: live training and training loop (branch live adds its keys below this line)
    LiveLrRefused,
    LiveCollapsed,
    LiveEvaluating,
    LiveEvaluated,
    LiveEvaluatedHeldOut,
    LiveChartSummary,
    LiveWeightsDescription,
    LiveCardDescription,
    HowWeightsDescription,
    // --- your own photo (issue 15): input data and live training
    PhotoTitle,
    PhotoExplainCommon,
    PhotoLiveExplain,
    PhotoInputExplain,
    PhotoChoose,
    PhotoCamera,
    PhotoHint,
    PhotoReading,
    PhotoNotImage,
    PhotoFileTooLarge,
    PhotoTooManyPixels,
    PhotoBroken,
    PhotoUnreadable,
    PhotoCropCaption,
    PhotoSmallCaption,
    PhotoCropDescription,
    PhotoSmallDescription,
    PhotoPlanesCaption,
    PhotoNumbers,
    PhotoGoLive,
    PhotoNoNetwork,
    PhotoUntrained,
    PhotoTrained,
    PhotoDiverged,
    PhotoGuessesTitle,
    PhotoHonest,
    PhotoCompareLabel,
    PhotoCompareTop,
    PhotoCompareCaption,
    PhotoCompareNone,
    // --- intro lessons (issue 13): what-is-dl, why-now, summary
    WhatIsDlTitle,
    WhatIsDlSentence,
    WhatIntro,
    WhatAi,
    WhatMl,
    WhatDl,
    WhatAiDefinition,
    WhatMlDefinition,
    WhatDlDefinition,
    /// One example per line.
    WhatAiExamples,
    /// One example per line.
    WhatMlExamples,
    /// One example per line.
    WhatDlExamples,
    WhatRegionsDescription,
    WhatRegionsCaption,
    WhatExamplesHeading,
    WhatKeys,
    WhatParadigmsHeading,
    WhatClassical,
    WhatMachineLearning,
    WhatRules,
    WhatData,
    WhatAnswers,
    WhatClassicalNote,
    WhatMachineLearningNote,
    WhatDefinitionHeading,
    WhatDefinition,
    WhatMagic,
    WhatDefinitionNote,
    WhatDepthLink,
    WhatBrainHeading,
    WhatBrainPoint,
    WhatBrainText,
    WhyNowTitle,
    WhyNowSentence,
    WhyIntro,
    WhyRowData,
    WhyRowRam,
    WhyRowFlops,
    WhyRowChip,
    WhyRowGrowth,
    /// The data row's six cells, separated by `|`.
    WhyDataCells,
    WhyTableHeading,
    WhyTableNote,
    WhyChartDescription,
    WhyChartNote,
    WhyChartBrowser,
    WhyLegendBrowser,
    WhyMeasureHeading,
    WhyMeasureExplain,
    WhyMeasure,
    WhyMeasuring,
    WhyMeasureAgain,
    WhyProgressLabel,
    WhyReadoutSpeed,
    WhyReadoutColumn,
    WhyMeasureIdle,
    WhyMeasureRunning,
    WhyMeasureResult,
    WhyMeasureOutside,
    WhyDecadeTitle,
    WhyKeys,
    WhyDriversHeading,
    WhyDriversLead,
    WhyDriverData,
    /// One point per line.
    WhyDriverDataText,
    WhyDriverHardware,
    /// One point per line.
    WhyDriverHardwareText,
    WhyDriverAlgorithms,
    /// One point per line.
    WhyDriverAlgorithmsText,
    WhyTimelineHeading,
    /// One event per line: `year|what happened`.
    WhyTimelineEvents,
    WhyTimelineQuestion,
    WhyMoneyHeading,
    WhyMoney2011,
    WhyMoney2014,
    WhyMoneyRatio,
    /// One deal per line.
    WhyMoneyDeals,
    SummaryTitle,
    SummarySentence,
    SumIntro,
    SumMapHeading,
    SumRecapHeading,
    /// One point per line.
    SumRecapPoints,
    SumClosingHeading,
    SumShortTerm,
    SumLongTerm,
    SumFutureQuestion,
    /// One property per line.
    SumProperties,
    SumFrameworksHeading,
    SumFrameworksText,
    SumPaddleCaption,
    SumPaddleStep1,
    SumPaddleStep2,
    SumPaddleStep3,
    SumNnlabCaption,
    SumNnlabStep1,
    SumNnlabStep2,
    // --- deep training: before and after 2009 (lesson deep-training)
    DeepTitle,
    DeepSentence,
    DeepIntro,
    DeepBefore,
    DeepAfter,
    DeepActivation,
    DeepInit,
    DeepOptimizer,
    DeepRecipeLine,
    DeepTestAccuracy,
    DeepBarsTitle,
    DeepLayer,
    DeepAgain,
    DeepPreparing,
    DeepStatus,
    DeepLossTitle,
    DeepAccTitle,
    DeepChartDescription,
    DeepChartEmpty,
    DeepKeys,
    // --- chart read-outs (lessons/kit/readout.rs, hover.rs)
    ReadoutBin,
    ReadoutSeparator,
    ReadoutValue,
    ReadoutValueAt,
    ReadoutHint,
    ReadoutHintPanels,
    ReadoutLoss,
    ReadoutAccuracy,
    ReadoutEachIteration,
    ReadoutAverage,
    ReadoutWeights,
    ReadoutOutputs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn key_list_names_every_key_once() {
        let unique: HashSet<Key> = Key::ALL.iter().copied().collect();
        assert_eq!(unique.len(), Key::ALL.len(), "Key::ALL repeats a key");
    }

    #[test]
    fn both_languages_have_a_text_for_every_key_with_the_same_placeholders() {
        for &key in Key::ALL {
            let zh = Lang::Zh.text(key);
            let en = Lang::En.text(key);
            assert!(!zh.trim().is_empty(), "{key:?} has no Chinese text");
            assert!(!en.trim().is_empty(), "{key:?} has no English text");
            let mut zh_names = placeholders(zh);
            let mut en_names = placeholders(en);
            zh_names.sort_unstable();
            en_names.sort_unstable();
            assert_eq!(zh_names, en_names, "{key:?} has different placeholders");
        }
    }

    #[test]
    fn chinese_prose_is_chinese() {
        // Names such as "Adam" or "Rosenbrock" may read the same in both
        // languages; sentences and section titles must not.
        let prose = [
            Key::AppSubtitle,
            Key::DepthTitle,
            Key::DepthSentence,
            Key::BackpropSentence,
            Key::Descent2dIntro,
            Key::StatusDivergedExploding,
            Key::NetworkSentence,
        ];
        for key in prose {
            let has_han = Lang::Zh
                .text(key)
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert!(has_han, "{key:?}: Chinese text has no Chinese characters");
            assert_ne!(Lang::Zh.text(key), Lang::En.text(key));
        }
    }

    #[test]
    fn preferred_language_follows_the_first_language_we_speak() {
        assert_eq!(Lang::preferred(["zh-CN", "en-US"]), Lang::Zh);
        assert_eq!(Lang::preferred(["de-DE", "zh-TW", "en"]), Lang::Zh);
        assert_eq!(Lang::preferred(["en-US", "zh-CN"]), Lang::En);
        assert_eq!(Lang::preferred(["fr"]), Lang::En);
        assert_eq!(Lang::preferred([]), Lang::En);
    }

    #[test]
    fn fill_replaces_named_placeholders() {
        assert_eq!(
            fill("{a} and {b}, {a}", &[("a", "1"), ("b", "2")]),
            "1 and 2, 1"
        );
        assert_eq!(
            placeholders("lr {lr} after {steps} steps"),
            vec!["lr", "steps"]
        );
    }
}
