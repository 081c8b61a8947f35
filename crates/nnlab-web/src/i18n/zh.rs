//! 中文文本表。关键句取自讲义《第04讲 初识神经网络》。

use super::Key;

pub fn text(key: Key) -> &'static str {
    match key {
        Key::AppTitle => "nnlab · 初识神经网络",
        Key::AppSubtitle => "第04讲的交互式讲义",
        Key::LangSwitch => "English",
        Key::LangSwitchHint => "Switch to English",
        Key::NavHeading => "章节",
        Key::ErrorPrefix => "出错了：",
        Key::ErrorReload => "刷新页面即可重新开始。",
        Key::ComingSoonBadge => "将在后续版本中推出",
        Key::ComingSoonBody => "这一节的交互演示还在制作中，不放一个假的演示凑数。",
        Key::KeySentenceLabel => "讲义中的关键一句",
        Key::ComingSoonTry => "现在可以先试试：",

        Key::DepthTitle => "深度学习的深度",
        Key::DepthSentence => "“深度学习”的“深度”指的并不是利用这种方法所获取的更深层次的理解，而是指一系列连续的表示层。模型中包含多少层，其深度就是多少。",
        Key::HowItWorksTitle => "神经网络的工作原理",
        Key::HowItWorksSentence => "深度学习的基本技巧是利用距离值作为反馈信号来对权重值进行微调，以降低当前示例对应的损失值。",
        Key::NeuronsTitle => "神经元及网络结构",
        Key::NeuronsSentence => "所谓全连接，是指两个层之间的所有神经元都相互连接，可以用 output = relu(dot(W, input) + b) 来表示；W 和 b 就是该层的权重（可训练参数）。",
        Key::InputDataTitle => "输入数据",
        Key::InputDataSentence => "CIFAR10 的图像保存为形状 (n, 3, 32, 32) 的 float32 张量，归一化到 [0, 1] 之间；输入网络时，每个样本都被 reshape 成 (1, 3072)。",
        Key::WeightInitTitle => "权重初始化",
        Key::WeightInitSentence => "随机初始化把权重矩阵初始化为一些很小的随机值。初始权重一般不具任何意义，但它是训练的起点。",
        Key::TrainingTitle => "迭代训练",
        Key::TrainingSentence => "抽取数据批量，前向传播得到预测值，计算损失，更新所有权重使损失略微降低——反复迭代，直到损失足够小。",
        Key::LossOptimTitle => "损失函数和优化方法",
        Key::LossOptimSentence => "损失函数衡量预测值和真实值之间的差距；优化器决定如何利用它的梯度更新权重，而梯度下降的步长由学习率控制。",
        Key::DerivativeTitle => "导数和梯度",
        Key::DerivativeSentence => "如果希望减小 f(W) 的值，只需将 W 沿着梯度的反方向移动一小步：W₁ = W₀ − step · ∇f(W₀)。",
        Key::SgdTitle => "随机梯度下降",
        Key::SgdSentence => "比例因子 step 的取值非常重要：太小则需要很多次迭代，且可能陷入局部极小点；太大则更新后可能落到曲线上完全随机的位置。",
        Key::LocalMinimaTitle => "局部最优",
        Key::LocalMinimaSentence => "在局部极小点附近，无论向左还是向右都会让损失增大；小学习率的 SGD 会陷在这里，找不到全局最小点。",
        Key::Descent2dTitle => "二维曲面上的梯度下降",
        Key::Descent2dSentence => "实际的网络可能有数百万个维度；二维曲面上的梯度下降让我们亲眼看到优化器怎样一步步走向低处。",
        Key::MomentumTitle => "动量",
        Key::MomentumSentence => "动量解决了两个问题：收敛速度和局部最优点。计算下一次权重时，还考虑了上一次的更新。",
        Key::BackpropTitle => "链式法则和反向传播",
        Key::BackpropSentence => "反向传播从最终损失值开始，从最顶层反向作用至最底层，利用链式法则逐层计算每个参数对损失值的贡献大小。",

        Key::Descent2dIntro => "在图上点击任意位置选择起点，然后按“播放”：优化器沿着梯度的反方向一步步走向低处。颜色越深，损失越小；白色标记是已知的极小点。",
        Key::SurfaceLabel => "损失曲面",
        Key::FormulaLabel => "公式",
        Key::OptimizerLabel => "优化器",
        Key::LearningRateLabel => "学习率",
        Key::MomentumLabel => "动量因子",
        Key::SpeedLabel => "速度",
        Key::SpeedUnit => "步/秒",
        Key::Play => "播放",
        Key::Pause => "暂停",
        Key::Step => "单步",
        Key::Reset => "重置",
        Key::CanvasDescription => "损失曲面的热力图和等高线，以及优化器走过的路径。点击可以选择起点。",
        Key::PathLabel => "路径",
        Key::KeyboardHint => "快捷键：空格 播放/暂停 · → 单步 · R 重置",

        Key::SurfaceRosenbrock => "Rosenbrock（香蕉形山谷）",
        Key::SurfaceBeale => "Beale",
        Key::SurfaceHimmelblau => "Himmelblau（四个极小点）",
        Key::SurfaceIllConditioned => "病态二次曲面（狭长山谷）",
        Key::SurfaceSaddle => "鞍点",
        Key::SurfacePlateau => "平台（梯度几乎为零）",
        Key::OptSgd => "SGD（随机梯度下降）",
        Key::OptMomentum => "带动量的 SGD",
        Key::OptNesterov => "Nesterov 动量（讲义中的形式）",
        Key::OptAdagrad => "Adagrad",
        Key::OptRmsProp => "RMSProp",
        Key::OptAdam => "Adam",

        Key::StepsReadout => "步数",
        Key::LossReadout => "损失",
        Key::PointReadout => "位置",
        Key::GradReadout => "梯度大小 |∇f|",
        Key::StatusReady => "准备就绪：点击图选择起点，或直接按“播放”。",
        Key::StatusRunning => "正在下降……",
        Key::StatusPaused => "已暂停。",
        Key::StatusConverged => "第 {steps} 步后梯度几乎为零，优化器停了下来。这里是极小点，还是鞍点或平台？看看周围的颜色。",
        Key::StatusDivergedNotFinite => "发散了：第 {steps} 步时损失变成了无穷大或 NaN。对这里的曲率来说，学习率 {lr} 太大了。请减小学习率，然后按“重置”。",
        Key::StatusDivergedExploding => "发散了：对这里的曲率来说，学习率 {lr} 太大了——每一步都越过谷底、越跳越远，损失在第 {steps} 步时已经爆炸式增长。请减小学习率，然后按“重置”。",
        Key::NetworkTitle => "网络结构：层与参数",
        Key::NetworkSentence => "多层感知机由全连接层逐层堆叠而成——讲义中的 myMLP 有 100、256、256 和 10 个神经元；这些层的权重张量保存了从数据中学到的知识。",
        Key::GradientTitle => "二元函数的梯度",
        Key::GradientSentence => "梯度是张量运算的导数：∇f(W₀) 与 W₀ 形状相同；沿梯度的反方向移动 W，即 W₁ = W₀ − step·∇f(W₀)，f 就会减小——前提是步长足够小。",
        Key::LiveTrainingTitle => "在 CIFAR-10 上实时训练",
        Key::LiveTrainingSentence => "网络以每批 64 个样本在训练数据上迭代；每次迭代计算批量损失相对于权重的梯度并更新权重——与讲义一致，使用 Adam，学习率 0.001。",

        // --- @lesson:derivative-gradient-descent1d (helper A adds its texts below this line)

        // --- @lesson:race-momentum-shared (helper B adds its texts below this line)

        // --- @lesson:neurons-network-backprop (helper C adds its texts below this line)

        // --- @lesson:data-live-training-representations (helper D1 adds its texts below this line)

        // --- @lesson:init-training-loop (helper D2 adds its texts below this line)
    }
}
