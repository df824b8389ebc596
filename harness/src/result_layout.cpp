#include "result_layout.hpp"

#include <cstddef>

namespace steper::result_layout {
namespace {

hdf5::Handle compound(std::size_t size) {
  return hdf5::Handle(H5Tcreate(H5T_COMPOUND, size), H5Tclose, "create a compound datatype");
}

void add(const hdf5::Handle& type, const std::string& name, std::size_t offset, hid_t member) {
  hdf5::check(H5Tinsert(type.get(), name.c_str(), offset, member), "add the column '" + name + "'");
}

}  // namespace

std::string samples_attribute(int kind) { return std::string("samples_") + kStepKindNames[kind].name; }

hdf5::Handle axis_type() {
  const hdf5::Handle text = hdf5::utf8_string_type();
  hdf5::Handle type = compound(sizeof(AxisRecord));
  add(type, "key", offsetof(AxisRecord, key), text.get());
  add(type, "value", offsetof(AxisRecord, value), text.get());
  return type;
}

hdf5::Handle prediction_type() {
  const hdf5::Handle text = hdf5::utf8_string_type();
  hdf5::Handle type = compound(sizeof(PredictionRecord));
  add(type, "question_id", offsetof(PredictionRecord, question_id), text.get());
  add(type, "prediction", offsetof(PredictionRecord, prediction), text.get());
  add(type, "em", offsetof(PredictionRecord, em), H5T_NATIVE_DOUBLE);
  add(type, "f1", offsetof(PredictionRecord, f1), H5T_NATIVE_DOUBLE);
  add(type, "acc", offsetof(PredictionRecord, acc), H5T_NATIVE_DOUBLE);
  add(type, "steps", offsetof(PredictionRecord, steps), H5T_NATIVE_INT32);
  return type;
}

hdf5::Handle trajectory_type() {
  const hdf5::Handle text = hdf5::utf8_string_type();
  hdf5::Handle type = compound(sizeof(TrajectoryRecord));
  add(type, "question_id", offsetof(TrajectoryRecord, question_id), text.get());
  add(type, "answer", offsetof(TrajectoryRecord, answer), text.get());
  add(type, "answer_found", offsetof(TrajectoryRecord, answer_found), H5T_NATIVE_UINT8);
  add(type, "end_reason", offsetof(TrajectoryRecord, end_reason), text.get());
  return type;
}

hdf5::Handle step_type() {
  const hdf5::Handle text = hdf5::utf8_string_type();
  hdf5::Handle type = compound(sizeof(StepRecord));
  add(type, "query", offsetof(StepRecord, query), text.get());
  add(type, "prompt_tokens", offsetof(StepRecord, prompt_tokens), H5T_NATIVE_INT32);
  add(type, "generated", offsetof(StepRecord, generated), text.get());
  return type;
}

hdf5::Handle train_log_type() {
  hdf5::Handle type = compound(sizeof(TrainLogRecord));
  add(type, "step", offsetof(TrainLogRecord, step), H5T_NATIVE_INT64);
  add(type, "loss", offsetof(TrainLogRecord, loss), H5T_NATIVE_DOUBLE);
  for (int kind = 0; kind < kStepKindCount; ++kind)
    add(type, std::string("loss_") + kStepKindNames[kind].name,
        offsetof(TrainLogRecord, kind_loss) + kind * sizeof(double), H5T_NATIVE_DOUBLE);
  for (int kind = 0; kind < kStepKindCount; ++kind)
    add(type, std::string("weight_") + kStepKindNames[kind].name,
        offsetof(TrainLogRecord, kind_weight) + kind * sizeof(double), H5T_NATIVE_DOUBLE);
  add(type, "learning_rate", offsetof(TrainLogRecord, learning_rate), H5T_NATIVE_DOUBLE);
  add(type, "tokens_per_s", offsetof(TrainLogRecord, tokens_per_s), H5T_NATIVE_DOUBLE);
  add(type, "dev_score", offsetof(TrainLogRecord, dev_score), H5T_NATIVE_DOUBLE);
  add(type, "seconds", offsetof(TrainLogRecord, seconds), H5T_NATIVE_DOUBLE);
  return type;
}

}  // namespace steper::result_layout
