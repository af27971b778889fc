// Where Plug-and-Play injects (spec §7.2). SD-1.4 decoder "output layers" are numbered over the up blocks,
// (layersPerBlock + 1) per block: SonicDiffusion injects self-attention Q/K at output layers 4–11
// (up_blocks.1.attentions.1–2, up_blocks.2.attentions.0–2, up_blocks.3.attentions.0–2) and the resnet
// residual at layers 4 and 5 (up_blocks.1.resnets.1–2). Expressed structurally — "from the second layer of
// the second up block on" and "the rest of the second up block" — the same rule fits tiny UNets.

export interface UNetUpLayout {
  /** diffusers `up_block_types`, e.g. ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D']. */
  upBlockTypes: readonly string[];
  /** diffusers `layers_per_block` (up blocks have one more). */
  layersPerBlock: number;
  /** Transformer blocks per attention (diffusers `transformer_layers_per_block`, default 1). */
  transformerLayersPerBlock?: number;
}

export interface PnpSites {
  selfAttnSites: string[]; // e.g. up_blocks.1.attentions.1.transformer_blocks.0.attn1
  residualSites: string[]; // e.g. up_blocks.1.resnets.1
}

export interface PnpSiteRule {
  /** First decoder output layer with Q/K injection (default: second layer of the second up block; 4 for SD). */
  firstAttentionLayer?: number;
  /** Decoder output layers with residual injection (default: the second up block minus its first layer; [4, 5] for SD). */
  residualLayers?: number[];
}

export const SD14_UP_LAYOUT: UNetUpLayout = Object.freeze({
  upBlockTypes: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
  layersPerBlock: 2,
});

export function pnpSitesFor(layout: UNetUpLayout, rule: PnpSiteRule = {}): PnpSites {
  const perBlock = layout.layersPerBlock + 1;
  if (!Number.isInteger(layout.layersPerBlock) || layout.layersPerBlock < 1) throw new Error(`PnP sites: layersPerBlock must be a positive integer, got ${layout.layersPerBlock}`);
  if (layout.upBlockTypes.length < 2) throw new Error(`PnP sites: the UNet needs at least 2 up blocks, it has ${layout.upBlockTypes.length}`);
  const total = perBlock * layout.upBlockTypes.length;
  const firstAttention = rule.firstAttentionLayer ?? perBlock + 1;
  const residual = rule.residualLayers ?? Array.from({ length: perBlock - 1 }, (_, i) => perBlock + 1 + i);
  const tblocks = layout.transformerLayersPerBlock ?? 1;
  const locate = (n: number) => {
    if (!Number.isInteger(n) || n < 0 || n >= total) throw new Error(`PnP sites: decoder layer ${n} outside 0..${total - 1}`);
    return { block: Math.floor(n / perBlock), layer: n % perBlock };
  };
  const selfAttnSites: string[] = [];
  for (let n = firstAttention; n < total; n++) {
    const { block, layer } = locate(n);
    if (!/Attn/.test(layout.upBlockTypes[block]!)) continue;
    for (let j = 0; j < tblocks; j++) selfAttnSites.push(`up_blocks.${block}.attentions.${layer}.transformer_blocks.${j}.attn1`);
  }
  const residualSites = residual.map((n) => {
    const { block, layer } = locate(n);
    return `up_blocks.${block}.resnets.${layer}`;
  });
  return { selfAttnSites, residualSites };
}
