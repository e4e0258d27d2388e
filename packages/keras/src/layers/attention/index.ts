export { BaseDenseAttention, type BaseDenseAttentionArgs } from './base-dense-attention';
export { Attention, type AttentionArgs } from './attention';
export { AdditiveAttention, type AdditiveAttentionArgs } from './additive-attention';
export { MultiHeadAttention, type MultiHeadAttentionArgs } from './multi-head-attention';
