using System.Globalization;

namespace Sim.Core.Randomness;

/// <summary>
/// Reads distributions written the way people write them on a whiteboard: <c>exponential(2)</c>,
/// <c>lognormal(0, 0.25)</c>, <c>mixture(0.95 * deterministic(1), 0.05 * pareto(1, 1.5))</c>,
/// <c>empirical(0.98, 1.01, 1.2)</c> or <c>empirical("samples.txt")</c>. A bare number means a
/// deterministic value. Errors say where in the text the problem is and what was expected.
/// </summary>
public static class Distributions
{
    private static readonly (string Name, string Signature)[] Families =
    [
        ("deterministic", "deterministic(value)"),
        ("exponential", "exponential(rate)"),
        ("uniform", "uniform(lower, upper)"),
        ("normal", "normal(mean, stddev)"),
        ("lognormal", "lognormal(mu, sigma)"),
        ("gamma", "gamma(shape, scale)"),
        ("weibull", "weibull(shape, scale)"),
        ("pareto", "pareto(scale, shape)"),
        ("empirical", "empirical(x1, x2, ...) or empirical(\"file\")"),
        ("mixture", "mixture(w1 * dist1, w2 * dist2, ...)"),
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["const"] = "deterministic", ["constant"] = "deterministic", ["fixed"] = "deterministic",
        ["exp"] = "exponential", ["gaussian"] = "normal", ["lognorm"] = "lognormal",
    };

    /// <summary>The forms <see cref="Parse"/> accepts, for help texts and error messages.</summary>
    public static IEnumerable<string> Forms => Families.Select(f => f.Signature);

    /// <summary>Parses <paramref name="text"/>; file paths in <c>empirical("...")</c> resolve against
    /// <paramref name="baseDirectory"/> (default: the current directory).</summary>
    public static IDistribution Parse(string text, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text, baseDirectory ?? Directory.GetCurrentDirectory());
        var result = parser.ParseDistribution();
        parser.ExpectEnd();
        return result;
    }

    public static bool TryParse(string text, out IDistribution? distribution, out string? error, string? baseDirectory = null)
    {
        try { distribution = Parse(text, baseDirectory); error = null; return true; }
        catch (DistributionParseException ex) { distribution = null; error = ex.Message; return false; }
    }

    internal static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Parser(string text, string baseDirectory)
    {
        private int _pos;

        public IDistribution ParseDistribution()
        {
            SkipSpace();
            int start = _pos;
            if (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] is '-' or '+' or '.'))
                return Check(start, "deterministic", new Deterministic(ParseNumber()), null);
            string name = ParseIdentifier();
            string canonical = Aliases.TryGetValue(name, out var alias) ? alias : name.ToLowerInvariant();
            if (!Families.Any(f => f.Name == canonical))
                throw Error(start, $"unknown distribution '{name}'; expected one of: {string.Join(", ", Forms)}");
            string signature = Families.First(f => f.Name == canonical).Signature;
            Expect('(', signature);
            IDistribution result;
            switch (canonical)
            {
                case "mixture":
                    result = ParseMixture(signature);
                    break;
                case "empirical":
                    result = ParseEmpirical(start, signature);
                    break;
                default:
                    var args = ParseNumberList(signature);
                    result = Build(start, canonical, signature, args);
                    break;
            }
            return result;
        }

        private IDistribution Build(int start, string family, string signature, List<double> a)
        {
            int expected = family switch { "deterministic" or "exponential" => 1, _ => 2 };
            if (a.Count != expected)
                throw Error(start, $"{signature} takes {expected} argument{(expected == 1 ? "" : "s")}, got {a.Count}");
            return family switch
            {
                "deterministic" => Check(start, signature, new Deterministic(a[0]), null),
                "exponential" => Check(start, signature, new Exponential(a[0]), a[0] > 0 ? null : $"rate must be > 0, got {Format(a[0])}"),
                "uniform" => Check(start, signature, new Uniform(a[0], a[1]), a[0] < a[1] ? null : $"lower must be < upper, got {Format(a[0])} and {Format(a[1])}"),
                "normal" => Check(start, signature, new Normal(a[0], a[1]), a[1] > 0 ? null : $"stddev must be > 0, got {Format(a[1])}"),
                "lognormal" => Check(start, signature, new LogNormal(a[0], a[1]), a[1] > 0 ? null : $"sigma must be > 0, got {Format(a[1])}"),
                "gamma" => Check(start, signature, new Gamma(a[0], a[1]), a[0] > 0 && a[1] > 0 ? null : $"shape and scale must be > 0, got {Format(a[0])} and {Format(a[1])}"),
                "weibull" => Check(start, signature, new Weibull(a[0], a[1]), a[0] > 0 && a[1] > 0 ? null : $"shape and scale must be > 0, got {Format(a[0])} and {Format(a[1])}"),
                "pareto" => Check(start, signature, new Pareto(a[0], a[1]), a[0] > 0 && a[1] > 0 ? null : $"scale and shape must be > 0, got {Format(a[0])} and {Format(a[1])}"),
                _ => throw Error(start, $"unknown distribution '{family}'"),
            };
        }

        private IDistribution Check(int start, string signature, IDistribution d, string? problem)
        {
            if (problem != null) throw Error(start, $"{signature}: {problem}");
            return d;
        }

        private IDistribution ParseMixture(string signature)
        {
            var parts = new List<(double, IDistribution)>();
            SkipSpace();
            if (Peek() == ')') throw Error(_pos, $"{signature} needs at least one component");
            while (true)
            {
                SkipSpace();
                int at = _pos;
                double w = ParseNumber();
                if (!(w > 0)) throw Error(at, $"mixture weights must be > 0, got {Format(w)}");
                Expect('*', signature);
                parts.Add((w, ParseDistribution()));
                SkipSpace();
                if (Peek() == ',') { _pos++; continue; }
                Expect(')', signature);
                return new Mixture(parts);
            }
        }

        private IDistribution ParseEmpirical(int start, string signature)
        {
            SkipSpace();
            if (Peek() == '"')
            {
                int q = ++_pos;
                int end = text.IndexOf('"', q);
                if (end < 0) throw Error(q - 1, "unterminated string in empirical(\"file\")");
                string path = text[q..end];
                _pos = end + 1;
                Expect(')', signature);
                string full = Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path);
                if (!File.Exists(full)) throw Error(q, $"empirical samples file not found: {full}");
                try { return Empirical.FromFile(full); }
                catch (FormatException ex) { throw Error(q, ex.Message); }
                catch (Files.InputFileException ex) { throw Error(q, ex.Message); }
                catch (ArgumentException ex) { throw Error(q, $"{full}: {ex.Message}"); }
            }
            var values = ParseNumberList(signature);
            if (values.Count == 0) throw Error(start, $"{signature} needs at least one sample");
            return new Empirical(values);
        }

        private List<double> ParseNumberList(string signature)
        {
            var values = new List<double>();
            SkipSpace();
            if (Peek() == ')') { _pos++; return values; }
            while (true)
            {
                values.Add(ParseNumber());
                SkipSpace();
                char c = Peek();
                if (c == ',') { _pos++; continue; }
                if (c == ')') { _pos++; return values; }
                throw Error(_pos, $"expected ',' or ')' in {signature}, got {Describe()}");
            }
        }

        private double ParseNumber()
        {
            SkipSpace();
            int start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] is '.' or '-' or '+'))
            {
                // An exponent sign belongs to the number; any other sign after the first character ends it.
                if (_pos > start && text[_pos] is '-' or '+' && text[_pos - 1] is not ('e' or 'E')) break;
                _pos++;
            }
            var token = text[start.._pos];
            if (token.Length == 0 || !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                throw Error(start, $"expected a number, got {(token.Length == 0 ? Describe() : $"'{token}'")}");
            return v;
        }

        private string ParseIdentifier()
        {
            int start = _pos;
            while (_pos < text.Length && (char.IsLetter(text[_pos]) || text[_pos] == '_')) _pos++;
            if (_pos == start) throw Error(start, $"expected a distribution such as exponential(1.5) or lognormal(0, 0.25), got {Describe()}");
            return text[start.._pos];
        }

        private void Expect(char c, string signature)
        {
            SkipSpace();
            if (Peek() != c) throw Error(_pos, $"expected '{c}' in {signature}, got {Describe()}");
            _pos++;
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_pos < text.Length) throw Error(_pos, $"unexpected text after the distribution: '{text[_pos..]}'");
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';
        private string Describe() => _pos < text.Length ? $"'{text[_pos]}'" : "end of text";
        private void SkipSpace() { while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++; }
        private DistributionParseException Error(int at, string message) => new(text, at, message);
    }
}

/// <summary>A distribution string that could not be read; <see cref="Position"/> is 0-based.</summary>
public sealed class DistributionParseException(string text, int position, string message)
    : FormatException($"{message} (in \"{text}\" at column {position + 1})")
{
    public string Text { get; } = text;
    public int Position { get; } = position;
    public string Problem { get; } = message;
}
