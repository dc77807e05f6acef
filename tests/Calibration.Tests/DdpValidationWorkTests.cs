using Sim.Calibration.Validation;

namespace Sim.Calibration.Tests;

/// <summary>The work check of <c>sim validate ddp</c>: modelled CPU per iteration against what the ranks
/// measurably spent, on hand-made cases, apart from the wall-clock error.</summary>
public sealed class DdpValidationWorkTests
{
    private static DdpValidationCase Case(int processes, double stepCpu, double modelCpu) =>
        new("mlp", 8, processes, MeasuredSeconds: 1e-3, PredictedSeconds: 2e-3, MeasuredSteps: 20, StepCpuSeconds: stepCpu, ModelCpuSeconds: modelCpu);

    [Fact]
    public void WorkError_IsTheMeanOfRelativeCpuErrors_OverCasesThatMeasuredIt()
    {
        // |1.5/2 - 1| = 25%, |1.1/1 - 1| = 10%; a case without a measured CPU (older steplog) is left out
        var cases = new[] { Case(1, 2e-3, 1.5e-3), Case(2, 1e-3, 1.1e-3), Case(2, double.NaN, 1e-3) };
        Assert.Equal(0.175, DdpValidation.WorkMape(cases)!.Value, 1e-12);
        Assert.Equal(0.10, DdpValidation.WorkMape(cases.Skip(1).ToList())!.Value, 1e-12);
        // the wall-clock error is another matter: every case here is 100% off in wall time
        Assert.Equal(1.0, DdpValidation.Mape(cases), 1e-12);
        Assert.Null(DdpValidation.WorkMape([Case(1, double.NaN, 1e-3)]));
    }
}
