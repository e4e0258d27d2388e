export { BaseDenseAttention, type BaseDenseAttentionArgs } from './base-dense-attention.js';
export { Attention, type AttentionArgs } from './attention.js';
export { AdditiveAttention, type AdditiveAttentionArgs } from './additive-attention.js';
export { MultiHeadAttention, type MultiHeadAttentionArgs } from './multi-head-attention.js';
