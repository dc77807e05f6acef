namespace Sim.Models.Workloads;

/// <summary>
/// Builds decoder-only (GPT-style) and encoder (BERT) transformers as layer tables: an embedding, one
/// <see cref="Layer"/> per transformer block (Kind "attention": self-attention plus MLP), and the
/// output head. Like pricing a tower block per floor: every floor is identical, so one formula gives
/// them all.
/// <para>
/// FLOPs per sequence follow Narayanan et al., "Efficient Large-Scale Language Model Training on GPU
/// Clusters Using Megatron-LM" (SC'21): only matrix multiplications are counted. A block does
/// QKV 6sh^2, scores QK^T 2s^2h, attention over V 2s^2h, output projection 2sh^2 and an FFN of
/// 4shf (2 matrices) or 6shf (gated, 3 matrices): 24sh^2 + 4s^2h for f = 4h. The LM head does
/// 2shV. Backward is 2x forward. Softmax, norms, GeLU and the embedding lookup add no counted
/// FLOPs (they are memory-bound; their traffic is in <see cref="Layer.ForwardBytes"/>).
/// </para>
/// <para>
/// Stored activations per block: <see cref="TransformerActivationMemory.PerLayerBytes(TransformerConfig, double)"/>
/// (Korthikanti et al. 2022), b = 1. Forward traffic of a block is approximated as twice its stored
/// activations (each saved tensor is written by one kernel and read by the next).
/// </para>
/// </summary>
public static class Transformer
{
    /// <summary>Forward FLOPs of one block for one sequence.</summary>
    public static double BlockForwardFlops(TransformerConfig c)
    {
        double s = c.Sequence, h = c.Hidden, f = c.Ffn;
        // QKV 2sh(h + 2 kv d) (= 6sh^2 without GQA), output projection 2sh^2, attention 4s^2h, FFN.
        // MoE: every token runs top-k experts' FFNs, plus the router's h x E product.
        double ffn = (c.GatedFfn ? 6 : 4) * s * h * f * (c.IsMoe ? c.TopK : 1) + (c.IsMoe ? 2 * s * h * c.Experts : 0);
        return 2 * s * h * c.QkvWidth + 2 * s * h * h + 4 * s * s * h + ffn;
    }

    /// <summary>Parameters of one block: attention 4h^2, FFN 2hf or 3hf, biases if any, two norms.</summary>
    public static double BlockParameters(TransformerConfig c)
    {
        double h = c.Hidden, f = c.Ffn;
        double attention = h * c.QkvWidth + h * h + (c.Bias ? c.QkvWidth + h : 0);
        double ffn = ((c.GatedFfn ? 3 : 2) * h * f + (c.Bias ? (c.GatedFfn ? 2 * f : f) + h : 0)) * c.Experts + (c.IsMoe ? h * c.Experts : 0);
        return attention + ffn + 2 * c.NormParameters;
    }

    /// <summary>Parameter tensors of one block as PyTorch modules hold them, QKV fused into one projection as this
    /// builder models it: QKV and output projection weights (and biases), each expert's FFN matrices (and biases),
    /// the MoE router's weight, and the two norms' scale (and shift).</summary>
    public static int BlockParameterTensors(TransformerConfig c)
    {
        int attention = c.Bias ? 4 : 2;
        int matrices = c.GatedFfn ? 3 : 2;
        int ffn = (c.Bias ? 2 * matrices : matrices) * c.Experts + (c.IsMoe ? 1 : 0);
        return attention + ffn + 2 * NormTensors(c);
    }

    /// <summary>Parameter tensors of one LayerNorm (scale and shift) or RMSNorm (scale).</summary>
    public static int NormTensors(TransformerConfig c) => c.RmsNorm ? 1 : 2;

    /// <summary>
    /// Decoder-only language model: embedding (tokens, plus learned positions if configured), the
    /// blocks, then final norm and LM head in one layer. With tied embeddings the head's weight
    /// belongs to the embedding layer, so the head has only the final norm's parameters.
    /// </summary>
    public static ModelSpec Gpt(TransformerConfig c)
    {
        c.Validate();
        double s = c.Sequence, h = c.Hidden, v = c.Vocabulary, p = c.BytesPerElement;
        var layers = new List<Layer>(c.Layers + 2)
        {
            Embedding("embedding", c, v * h + (c.LearnedPositions ? s * h : 0), c.LearnedPositions ? 2 : 1),
        };
        AddBlocks(layers, c, causal: true);
        double headForward = 2 * s * h * v;
        layers.Add(new Layer
        {
            Name = "lm_head",
            Kind = "matmul",
            ForwardFlops = headForward,
            BackwardFlops = 2 * headForward,
            Parameters = c.NormParameters + (c.TiedEmbeddings ? 0 : v * h),
            ParameterTensors = NormTensors(c) + (c.TiedEmbeddings ? 0 : 1),
            OutputActivationBytes = s * v * p,
            // Reads the last block's output, writes the normed hidden state and the logits.
            ForwardBytes = 2 * s * h * p + s * v * p,
            // Final-norm input, head input, and the logits the cross-entropy gradient needs.
            StoredActivationBytes = 2 * s * h * p + s * v * p,
            Kernels =
            [
                new StreamKernel("final_norm", 2 * s * h * p, TensorSplit.Replicated),
                new GemmKernel("logits", s, v, h, TensorSplit.Columns),
                // Vocabulary-parallel cross-entropy reads the logits and writes their gradient.
                new StreamKernel("cross_entropy", 2 * s * v * p, TensorSplit.Columns),
            ],
        });
        return new ModelSpec { Name = c.Name, Layers = layers, SampleUnit = "sequence", TokensPerSample = c.Sequence, Source = c.Source };
    }

    /// <summary>
    /// BERT for pre-training (Devlin et al., NAACL 2019): embeddings (word, learned position,
    /// 2 token types, LayerNorm), the encoder blocks, the pooler with the next-sentence classifier
    /// (on the [CLS] token only), and the masked-LM head (dense h x h, GeLU, LayerNorm, decoder tied
    /// to the word embeddings with its own V biases). The head's logits are computed at every
    /// position, as Hugging Face's BertForPreTraining does.
    /// </summary>
    public static ModelSpec Bert(TransformerConfig c)
    {
        c.Validate();
        double s = c.Sequence, h = c.Hidden, v = c.Vocabulary, p = c.BytesPerElement;
        const int tokenTypes = 2, nextSentenceClasses = 2;
        var layers = new List<Layer>(c.Layers + 3)
        {
            Embedding("embeddings", c, v * h + s * h + tokenTypes * h + c.NormParameters, 3 + NormTensors(c)),
        };
        AddBlocks(layers, c, causal: false);
        double poolerForward = 2 * h * h + 2 * h * nextSentenceClasses;
        layers.Add(new Layer
        {
            Name = "pooler_nsp",
            Kind = "matmul",
            ForwardFlops = poolerForward,
            BackwardFlops = 2 * poolerForward,
            Parameters = h * h + h + h * nextSentenceClasses + nextSentenceClasses,
            ParameterTensors = 4, // pooler dense and classifier, weight and bias each
            OutputActivationBytes = nextSentenceClasses * p,
            ForwardBytes = 2 * h * p,
            StoredActivationBytes = 2 * h * p,
        });
        double mlmForward = 2 * s * h * h + 2 * s * h * v;
        layers.Add(new Layer
        {
            Name = "mlm_head",
            Kind = "matmul",
            ForwardFlops = mlmForward,
            BackwardFlops = 2 * mlmForward,
            Parameters = h * h + h + c.NormParameters + v,
            ParameterTensors = 2 + NormTensors(c) + 1, // dense weight and bias, the norm, the decoder's own bias (its weight is tied)
            OutputActivationBytes = s * v * p,
            ForwardBytes = 4 * s * h * p + s * v * p,
            // Dense input, GeLU input, norm input, decoder input, logits.
            StoredActivationBytes = 4 * s * h * p + s * v * p,
        });
        return new ModelSpec { Name = c.Name, Layers = layers, SampleUnit = "sequence", TokensPerSample = c.Sequence, Source = c.Source };
    }

    private static Layer Embedding(string name, TransformerConfig c, double parameters, int parameterTensors)
    {
        double hiddenBytes = (double)c.Sequence * c.Hidden * c.BytesPerElement;
        return new Layer
        {
            Name = name,
            Kind = "embedding",
            ForwardFlops = 0,
            BackwardFlops = 0,
            Parameters = parameters,
            ParameterTensors = parameterTensors,
            OutputActivationBytes = hiddenBytes,
            ForwardBytes = 2 * hiddenBytes, // gathers the rows, writes the hidden state
            StoredActivationBytes = 0,      // only token ids are needed for the gradient scatter
            Kernels = [new StreamKernel("embedding", 2 * hiddenBytes, TensorSplit.Replicated)],
        };
    }

    private static void AddBlocks(List<Layer> layers, TransformerConfig c, bool causal)
    {
        double forward = BlockForwardFlops(c);
        double parameters = BlockParameters(c);
        int tensors = BlockParameterTensors(c);
        double stored = TransformerActivationMemory.PerLayerBytes(c);
        var kernels = BlockKernels(c, causal);
        double output = (double)c.Sequence * c.Hidden * c.BytesPerElement;
        for (int i = 0; i < c.Layers; i++)
            layers.Add(new Layer
            {
                Name = $"layers.{i}",
                Kind = "attention",
                ForwardFlops = forward,
                BackwardFlops = 2 * forward,
                Parameters = parameters,
                ParameterTensors = tensors,
                OutputActivationBytes = output,
                ForwardBytes = 2 * stored,
                StoredActivationBytes = stored,
                Kernels = kernels,
            });
    }

    /// <summary>
    /// The fused kernel between flash_attn.bert_padding's copies (flash-attn 2.4.2, as llm-foundry's flash path calls them):
    /// unpad_input gathers each of q, k and v to its unpadded rows (torch.gather: read and write the tensor), pad_input
    /// zero-fills a padded output and index-puts the kernel's output into it (write, then read and write). The backward
    /// runs the inverse autograd functions: the output gradient gathered (read, write), and each of q, k, v's gradients
    /// scattered into a zero-filled tensor (write, then read and write). Per sample, at the activation precision p:
    /// forward 2 s (q + k + v widths) p + 3 s h p, backward 3 s (q + k + v widths) p + 2 s h p.
    /// </summary>
    private static KernelOp[] UnpaddedAttention(TransformerConfig c, bool causal)
    {
        double s = c.Sequence, p = c.BytesPerElement, qkv = s * c.QkvWidth * p, output = s * c.Hidden * p;
        return
        [
            new StreamKernel("attention_unpad_qkv", 2 * qkv, TensorSplit.Columns, BackwardBytesPerSample: 3 * qkv),
            new AttentionKernel("attention", c.Heads, c.Sequence, c.HeadDim, causal, c.FlashKernel),
            new StreamKernel("attention_pad_output", 3 * output, TensorSplit.Columns, BackwardBytesPerSample: 2 * output),
        ];
    }

    /// <summary>
    /// The kernels of one block's forward pass as Megatron-LM runs them (bias adds fused into the GEMM
    /// epilogues, attention as one fused flash-attention kernel): norm, QKV GEMM, attention, output
    /// projection, dropout + residual add, norm, FC1, activation, FC2, dropout + residual add.
    /// Element-wise traffic counts each tensor read or written once at the activation precision,
    /// plus 1-byte dropout masks.
    /// </summary>
    public static IReadOnlyList<KernelOp> BlockKernels(TransformerConfig c, bool causal)
    {
        double s = c.Sequence, h = c.Hidden, f = c.Ffn, p = c.BytesPerElement;
        double hidden = s * h * p, mask = c.Dropout ? s * h : 0;
        double scores = (double)c.Heads * s * s; // elements of the attention probabilities per sequence
        double routed = c.IsMoe ? c.TopK : 1;     // FFN token rows per token
        KernelOp[] attention = c.FlashAttention
            ? c.AttentionUnpad ? UnpaddedAttention(c, causal) : [new AttentionKernel("attention", c.Heads, c.Sequence, c.HeadDim, causal, c.FlashKernel)]
            :
            [
                new GemmKernel("scores", s, s, c.HeadDim, TensorSplit.Columns, GroupsPerSample: c.Heads),
                new StreamKernel("scale_mask_softmax", 2 * scores * p, TensorSplit.Columns),
                new StreamKernel("attention_dropout", c.Dropout ? (2 * p + 1) * scores : 0, TensorSplit.Columns),
                new GemmKernel("context", s, c.HeadDim, s, TensorSplit.Columns, GroupsPerSample: c.Heads),
            ];
        return
        [
            new StreamKernel("norm1", 2 * hidden, TensorSplit.Replicated),
            new GemmKernel("qkv", s, c.QkvWidth, h, TensorSplit.Columns),
            .. attention,
            new GemmKernel("attention_out", s, h, h, TensorSplit.Rows),
            new StreamKernel("dropout_residual1", 3 * hidden + mask, TensorSplit.Replicated),
            new StreamKernel("norm2", 2 * hidden, TensorSplit.Replicated),
            .. (c.IsMoe ? [new GemmKernel("router", s, c.Experts, h, TensorSplit.Replicated)] : Array.Empty<KernelOp>()),
            // MoE: the experts' GEMMs together process s x top-k token rows (grouped GEMM).
            new GemmKernel("fc1", s * routed, (c.GatedFfn ? 2 : 1) * f, h, TensorSplit.Columns),
            // GeLU reads and writes s x f; SwiGLU reads the gate and the up projection, writes one.
            new StreamKernel("activation", (c.GatedFfn ? 3 : 2) * s * routed * f * p, TensorSplit.Columns),
            new GemmKernel("fc2", s * routed, h, f, TensorSplit.Rows),
            new StreamKernel("dropout_residual2", 3 * hidden + mask, TensorSplit.Replicated),
        ];
    }
}
