"""Golden text and sequence models (issue 13): Embedding with integer inputs, masks (Embedding mask_zero,
Masking) through stacks, Dropout, Bidirectional and TimeDistributed, pre- and post-padding, go_backwards,
return_sequences, rows that are all padding. Same conventions and output folder as make_models.py, whose
machinery this reuses; regenerate with

    .cache/keras-venv/bin/python scripts/keras-models/make_text_models.py [--case NAME]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_models as M  # noqa: E402
from make_models import L, keras  # noqa: E402


def build_text_bilstm_classifier(seed):
    # keras.io IMDB-style: Embedding -> Bidirectional(LSTM) -> Dense(sigmoid), no mask
    return keras.Sequential([
        keras.Input((12,), dtype="int32"),
        L.Embedding(50, 8),
        L.Bidirectional(L.LSTM(6)),
        L.Dense(1, activation="sigmoid"),
    ])


def build_text_masked_gru(seed):
    # Embedding(mask_zero) -> GRU: post-padded rows keep their state over the padding
    return keras.Sequential([
        keras.Input((10,), dtype="int32"),
        L.Embedding(30, 6, mask_zero=True),
        L.GRU(5),
        L.Dense(3, activation="softmax"),
    ])


def build_text_masked_prepad_stack(seed):
    # pre-padding; the mask crosses Dropout and a return_sequences LSTM into a go_backwards SimpleRNN
    return keras.Sequential([
        keras.Input((9,), dtype="int32"),
        L.Embedding(40, 5, mask_zero=True),
        L.Dropout(0.2),
        L.LSTM(6, return_sequences=True),
        L.SimpleRNN(4, go_backwards=True),
        L.Dense(2),
    ])


def build_text_masked_bidirectional(seed):
    # masked Bidirectional returning sequences (zero_output_for_mask forced on), then TimeDistributed(Dense)
    return keras.Sequential([
        keras.Input((8,), dtype="int32"),
        L.Embedding(25, 6, mask_zero=True),
        L.Bidirectional(L.GRU(4, return_sequences=True), merge_mode="sum"),
        L.TimeDistributed(L.Dense(3)),
    ])


def build_text_bidirectional_modes(seed):
    # every merge mode over one masked input, two outputs
    inputs = keras.Input((7,), dtype="int32")
    x = L.Embedding(20, 4, mask_zero=True)(inputs)
    concat = L.Bidirectional(L.LSTM(3), merge_mode="concat", name="bi_concat")(x)
    mul = L.Bidirectional(L.SimpleRNN(3, return_sequences=True), merge_mode="mul", name="bi_mul")(x)
    ave = L.Bidirectional(L.GRU(3, reset_after=False), merge_mode="ave", name="bi_ave")(x)
    return keras.Model(inputs, [concat, mul, ave])


def build_masking_lstm(seed):
    # Masking(0.0) over float sequences whose tail steps are all zero
    return keras.Sequential([
        keras.Input((8, 3)),
        L.Masking(mask_value=0.0),
        L.LSTM(5, return_sequences=True),
        L.LSTM(4),
        L.Dense(2),
    ])


def build_bidirectional_explicit_backward(seed):
    # an explicit backward_layer (the same kind and width, go_backwards=True), unmasked float input
    return keras.Sequential([
        keras.Input((6, 3)),
        L.Bidirectional(L.LSTM(4, return_sequences=True), backward_layer=L.LSTM(4, return_sequences=True, go_backwards=True)),
        L.LSTM(3),
        L.Dense(2),
    ])


def build_text_masked_bilstm_classifier(seed):
    # the demo's text model: padded reviews -> Embedding(mask_zero) -> Bidirectional(LSTM) -> Dense(sigmoid)
    return keras.Sequential([
        keras.Input((10,), dtype="int32"),
        L.Embedding(30, 8, mask_zero=True),
        L.Bidirectional(L.LSTM(6)),
        L.Dense(1, activation="sigmoid"),
    ])


def build_seq2seq_lstm(seed):
    # keras.io lstm_seq2seq (character-level): the encoder's final states start the decoder; time axes None
    encoder_inputs = keras.Input((None, 5), name="encoder_inputs")
    _, state_h, state_c = L.LSTM(6, return_state=True, name="encoder")(encoder_inputs)
    decoder_inputs = keras.Input((None, 4), name="decoder_inputs")
    decoder_seq, _, _ = L.LSTM(6, return_sequences=True, return_state=True, name="decoder")(decoder_inputs, initial_state=[state_h, state_c])
    probs = L.Dense(4, activation="softmax", name="probs")(decoder_seq)
    return keras.Model([encoder_inputs, decoder_inputs], [probs, state_c])


def build_seq2seq_gru_states(seed):
    # a GRU encoder's one state feeding a go_backwards GRU decoder; the encoder's state is an output too
    encoder_inputs = keras.Input((8, 3), name="source")
    encoded, state = L.GRU(5, return_sequences=True, return_state=True, name="encoder")(encoder_inputs)
    decoded = L.GRU(5, go_backwards=True, name="decoder")(encoded, initial_state=[state])
    return keras.Model(encoder_inputs, [L.Dense(2, name="head")(decoded), state])


def build_text_bidirectional_two_outputs(seed):
    # merge_mode=None: the forward and the (flipped) backward sequences as two outputs, under a mask
    inputs = keras.Input((6,), dtype="int32")
    x = L.Embedding(15, 4, mask_zero=True)(inputs)
    forward, backward = L.Bidirectional(L.LSTM(3, return_sequences=True), merge_mode=None, name="bi")(x)
    return keras.Model(inputs, [forward, L.Dense(2, name="head")(backward)])


TEXT_CASES = [
    M.case("text-bidirectional-two-outputs", build_text_bidirectional_two_outputs,
           "Bidirectional(LSTM, return_sequences, merge_mode=None) under a mask_zero mask: the forward sequence and Dense(backward sequence) as outputs.",
           211, [("tokens:15:post", (5, 6))]),
    M.case("seq2seq-lstm", build_seq2seq_lstm,
           "keras.io lstm_seq2seq: LSTM encoder (return_state) -> its [h, c] as the decoder LSTM's initial_state -> Dense softmax; outputs the probabilities and c.",
           209, [("randn", (4, 7, 5)), ("randn", (4, 6, 4))]),
    M.case("seq2seq-gru-states", build_seq2seq_gru_states,
           "GRU encoder (return_sequences, return_state) -> go_backwards GRU decoder from its state -> Dense; outputs the head and the state.",
           210, [("randn", (3, 8, 3))]),
    M.case("text-masked-bilstm-classifier", build_text_masked_bilstm_classifier,
           "The demo's text model: post-padded ids -> Embedding(30, 8, mask_zero) -> Bidirectional(LSTM(6)) -> Dense(1, sigmoid).",
           208, [("tokens:30:post", (6, 10))]),
    M.case("text-bilstm-classifier", build_text_bilstm_classifier,
           "IMDB-style classifier: Embedding(50, 8) -> Bidirectional(LSTM(6)) -> Dense(1, sigmoid); integer ids, no mask.",
           201, [("tokens:50:none", (4, 12))]),
    M.case("text-masked-gru", build_text_masked_gru,
           "Embedding(mask_zero=True) -> GRU -> Dense(softmax) on post-padded ids (row i has i padding steps).",
           202, [("tokens:30:post", (5, 10))]),
    M.case("text-masked-prepad-stack", build_text_masked_prepad_stack,
           "Pre-padded ids; the mask goes through Dropout and LSTM(return_sequences) into SimpleRNN(go_backwards).",
           203, [("tokens:40:pre", (6, 9))]),
    M.case("text-masked-bidirectional", build_text_masked_bidirectional,
           "Masked Bidirectional(GRU, return_sequences, merge sum) -> TimeDistributed(Dense); row 8 is all padding.",
           204, [("tokens:25:post", (9, 8))]),
    M.case("text-bidirectional-modes", build_text_bidirectional_modes,
           "One masked Embedding into Bidirectional LSTM (concat), SimpleRNN (mul, sequences), GRU reset_before (ave).",
           205, [("tokens:20:post", (5, 7))]),
    M.case("masking-lstm", build_masking_lstm,
           "Masking(0.0) over float sequences with zero tail steps -> LSTM(rs) -> LSTM -> Dense.",
           206, [("randn-padded", (5, 8, 3))]),
    M.case("bidirectional-explicit-backward", build_bidirectional_explicit_backward,
           "Bidirectional(LSTM, backward_layer=LSTM(go_backwards=True)), both returning sequences, then LSTM.",
           207, [("randn", (4, 6, 3))]),
]

if __name__ == "__main__":
    M.CASES.extend(TEXT_CASES)
    M.SCRIPT = "scripts/keras-models/make_text_models.py"
    M.main()
