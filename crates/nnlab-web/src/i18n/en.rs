//! English text table. Key sentences follow the lecture "First look at neural networks".

use super::Key;

pub fn text(key: Key) -> &'static str {
    match key {
        Key::AppTitle => "nnlab · First look at neural networks",
        Key::AppSubtitle => "An interactive companion to lecture 04",
        Key::LangSwitch => "中文",
        Key::LangSwitchHint => "切换到中文",
        Key::NavHeading => "Sections",
        Key::ErrorPrefix => "Something went wrong: ",
        Key::ErrorReload => "Reload the page to start again.",
        Key::ComingSoonBadge => "Coming in a later version",
        Key::ComingSoonBody => "The interactive demo for this section is still being built; rather than a fake demo, here is what it is about.",
        Key::KeySentenceLabel => "The lecture's key sentence",
        Key::ComingSoonTry => "Meanwhile, try:",

        Key::DepthTitle => "The depth in deep learning",
        Key::DepthSentence => "The “deep” in deep learning is not a deeper understanding reached by the method; it stands for successive layers of representations. How many layers a model has is its depth.",
        Key::HowItWorksTitle => "How a neural network works",
        Key::HowItWorksSentence => "The fundamental trick of deep learning is to use the loss — a distance — as a feedback signal to adjust the weights a little, lowering the loss on the current examples.",
        Key::NeuronsTitle => "Neurons and network structure",
        Key::NeuronsSentence => "Fully connected means every neuron of one layer is connected to every neuron of the next: output = relu(dot(W, input) + b), where W and b are the layer's weights (its trainable parameters).",
        Key::InputDataTitle => "Input data",
        Key::InputDataSentence => "CIFAR10 images are float32 tensors of shape (n, 3, 32, 32), normalised to [0, 1]; on the way into the network each sample is reshaped to (1, 3072).",
        Key::WeightInitTitle => "Weight initialisation",
        Key::WeightInitSentence => "Random initialisation fills the weight matrices with small random values. The initial weights mean nothing yet, but they are where training starts.",
        Key::TrainingTitle => "Iterative training",
        Key::TrainingSentence => "Draw a batch, run the network forward to get predictions, compute the loss, update all weights so the loss drops a little — and repeat until the loss is small enough.",
        Key::LossOptimTitle => "Loss functions and optimisers",
        Key::LossOptimSentence => "The loss function measures the gap between predictions and targets; the optimiser decides how its gradient updates the weights, and the learning rate sets the step size.",
        Key::DerivativeTitle => "Derivatives and gradients",
        Key::DerivativeSentence => "To make f(W) smaller, move W a small step against the gradient: W₁ = W₀ − step · ∇f(W₀).",
        Key::SgdTitle => "Stochastic gradient descent",
        Key::SgdSentence => "The step size matters: too small and descent needs many iterations and may get stuck in a local minimum; too large and an update may land anywhere on the curve.",
        Key::LocalMinimaTitle => "Local minima",
        Key::LocalMinimaSentence => "Near a local minimum every move, left or right, raises the loss; SGD with a small learning rate gets stuck there and never finds the global minimum.",
        Key::Descent2dTitle => "Gradient descent on a 2-D surface",
        Key::Descent2dSentence => "Real networks have millions of dimensions; on a 2-D surface we can watch an optimiser walk downhill step by step.",
        Key::MomentumTitle => "Momentum",
        Key::MomentumSentence => "Momentum solves two problems: convergence speed and local minima. The next update also takes the previous update into account.",
        Key::BackpropTitle => "Chain rule and backpropagation",
        Key::BackpropSentence => "Backpropagation starts from the final loss and works backwards from the top layer to the bottom, using the chain rule to compute how much each parameter contributed to the loss.",

        Key::Descent2dIntro => "Click anywhere on the map to choose a starting point, then press Play: the optimiser walks downhill against the gradient, one step at a time. Darker means lower loss; the white marks are the known minima.",
        Key::SurfaceLabel => "Loss surface",
        Key::FormulaLabel => "Formula",
        Key::OptimizerLabel => "Optimiser",
        Key::LearningRateLabel => "Learning rate",
        Key::MomentumLabel => "Momentum",
        Key::SpeedLabel => "Speed",
        Key::SpeedUnit => "steps/s",
        Key::Play => "Play",
        Key::Pause => "Pause",
        Key::Step => "Step",
        Key::Reset => "Reset",
        Key::CanvasDescription => "Heat map and contour lines of the loss surface, with the path the optimiser took. Click to choose a starting point.",
        Key::PathLabel => "path",
        Key::KeyboardHint => "Keys: Space play/pause · → one step · R reset",

        Key::SurfaceRosenbrock => "Rosenbrock (banana valley)",
        Key::SurfaceBeale => "Beale",
        Key::SurfaceHimmelblau => "Himmelblau (four minima)",
        Key::SurfaceIllConditioned => "Ill-conditioned (narrow valley)",
        Key::SurfaceSaddle => "Saddle point",
        Key::SurfacePlateau => "Plateau (almost no gradient)",
        Key::OptSgd => "SGD",
        Key::OptMomentum => "SGD with momentum",
        Key::OptNesterov => "Nesterov momentum (lecture form)",
        Key::OptAdagrad => "Adagrad",
        Key::OptRmsProp => "RMSProp",
        Key::OptAdam => "Adam",

        Key::StepsReadout => "Steps",
        Key::LossReadout => "Loss",
        Key::PointReadout => "Point",
        Key::GradReadout => "Gradient size |∇f|",
        Key::StatusReady => "Ready: click the map to choose a start, or just press Play.",
        Key::StatusRunning => "Descending…",
        Key::StatusPaused => "Paused.",
        Key::StatusConverged => "After {steps} steps the gradient is practically zero, so the optimiser has stopped. A minimum, or a saddle or plateau? Look at the colours around it.",
        Key::StatusDivergedNotFinite => "Diverged: at step {steps} the loss became infinite or NaN. The learning rate {lr} is too large for the curvature here. Lower the learning rate, then press Reset.",
        Key::StatusDivergedExploding => "Diverged: the learning rate {lr} is too large for the curvature here — each step overshoots the valley and lands further away, and by step {steps} the loss had exploded. Lower the learning rate, then press Reset.",
        Key::NetworkTitle => "The network: layers and parameters",
        Key::NetworkSentence => "The multilayer perceptron stacks fully connected layers — 100, 256, 256 and 10 neurons in the lecture's myMLP; the weight tensors of these layers hold the knowledge learned from the data.",
        Key::GradientTitle => "The gradient of a 2-D function",
        Key::GradientSentence => "The gradient is the derivative of a tensor operation: ∇f(W₀) has the shape of W₀, and moving W against it, W₁ = W₀ − step·∇f(W₀), lowers f — as long as the step stays small.",
        Key::LiveTrainingTitle => "Live training on CIFAR-10",
        Key::LiveTrainingSentence => "The network iterates over the training data in mini-batches of 64; in each iteration it computes the gradient of the batch loss with respect to the weights and updates them — with Adam, learning rate 0.001, as in the lecture.",

        // --- @lesson:derivative-gradient-descent1d (helper A adds its texts below this line)

        // --- @lesson:race-momentum-shared (helper B adds its texts below this line)

        // --- @lesson:neurons-network-backprop (helper C adds its texts below this line)

        // --- @lesson:data-live-training-representations (helper D1 adds its texts below this line)

        // --- @lesson:init-training-loop (helper D2 adds its texts below this line)
    }
}
