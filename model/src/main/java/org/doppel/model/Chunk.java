package org.doppel.model;

/**
 * One window of a document.
 *
 * @param index position of the window in the document, from 0
 * @param startChar first char (UTF-16 index into the input text) of the window; 0 for the first
 *     window
 * @param endChar one past the last char of the window; the text length for the last window
 * @param tokens content tokens in the window ([CLS]/[SEP] not counted)
 * @param vector L2-normalised window embedding
 */
public record Chunk(int index, int startChar, int endChar, int tokens, float[] vector)
    implements java.io.Serializable {}
