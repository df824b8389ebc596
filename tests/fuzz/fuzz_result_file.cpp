// The HDF5 result reader past the seal. Byte mutations of a sealed file only test the seal (every
// one is refused there), so this target edits a valid result file as someone who can write any
// HDF5 and seal it again would: each input names a few objects of the layout and deletes one,
// replaces it with an object of another class, rank, shape or extent, changes its number of
// rows, or overwrites one of its numbers. The file is sealed and read in full, as report,
// status and inspect read it; a refusal must be the reader's documented error.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <vector>

#include "fuzz_support.hpp"
#include "report.hpp"
#include "result_hdf5.hpp"
#include "result_inspect.hpp"
#include "result_reader.hpp"
#include "result_seal.hpp"
#include "result_writer.hpp"

namespace {

using namespace steper;

// The objects an edit may touch: a dataset, or an attribute of a group ("group@name").
constexpr const char* kObjects[] = {
    "/config/cell_toml", "/config/resolved_toml", "/config/axes", "/metrics/recall_per_step",
    "/metrics/teacher_recall_per_step", "/predictions/table", "/predictions/golds", "/predictions/golds_offsets",
    "/predictions/retrieved_ids", "/predictions/retrieved_ids_offsets", "/trajectories/questions",
    "/trajectories/step_offsets", "/trajectories/steps", "/trajectories/retrieved_offsets",
    "/trajectories/retrieved_ids", "/trajectories/retrieved_scores", "/teacher_trajectories/questions",
    "/teacher_trajectories/steps", "/teacher_trajectories/filter", "/train_log", "/log", "/@format",
    "/@format_version", "/@status", "/@threads", "/@grid_index", "/@seed", "/@cell_id", "/@error",
    "/metrics@acc", "/metrics@questions", "/metrics@samples_first", "/metrics@student_parameters"};

// One valid cell written once: a question with its trajectory, two teacher trajectories, the
// training and run logs.
const std::string& base_file() {
  static const std::string path = [] {
    const std::string file = (fuzz::scratch() / "base.h5").string();
    Trajectory trajectory;
    trajectory.question_id = "q1";
    trajectory.answer = "Treviso";
    trajectory.answer_found = true;
    trajectory.end_reason = "answer";
    trajectory.steps = {{"Who directed it?", {"p1", "p2"}, {1.5, 0.5}, 40, "Ilse Varn directed it."},
                        {"Where was she born?", {"p3"}, {2.0}, 60, "So the answer is: Treviso."}};
    ResultWriter writer(file);
    writer.append_train_log(TrainLogRow{});
    writer.append_train_log(TrainLogRow{});
    writer.append_log_line("loaded 2 questions");
    writer.write_teacher_trajectories({trajectory, trajectory}, {"kept", "wrong_answer"});
    writer.write_predictions({{"q1", "Treviso", {"Treviso", "Treviso, Italy"}, 1, 1, 1, 2, {"p1", "p3"}}});
    writer.write_trajectories({trajectory});
    writer.write_metrics(Metrics{});
    CellInfo info;
    info.experiment = "fuzz";
    info.cell_id = "0123456789abcdef";
    info.config_toml = "seed = 1\n[loss]\nname = \"steper\"\n";
    info.resolved_toml = info.config_toml;
    info.axes = {{"loss.name", "\"steper\""}};
    info.status = "complete";
    writer.commit(info);
    return file;
  }();
  return path;
}

// A new object's type: one of a few classes, sizes and layouts.
hdf5::Handle chosen_type(FuzzedDataProvider& input) {
  switch (input.ConsumeIntegralInRange(0, 5)) {
    case 0: return hdf5::Handle(H5Tcopy(H5T_NATIVE_INT64), H5Tclose, "copy a type");
    case 1: return hdf5::Handle(H5Tcopy(H5T_NATIVE_DOUBLE), H5Tclose, "copy a type");
    case 2: return hdf5::Handle(H5Tcopy(H5T_NATIVE_UINT8), H5Tclose, "copy a type");
    case 3: {
      hdf5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy a type");
      hdf5::check(H5Tset_size(type.get(), input.ConsumeIntegralInRange<std::size_t>(1, 16)), "size a string");
      return type;
    }
    case 4: {
      hdf5::Handle type(H5Tcreate(H5T_COMPOUND, 16), H5Tclose, "create a compound");
      hdf5::check(H5Tinsert(type.get(), input.ConsumeBool() ? "question_id" : "step", 0, H5T_NATIVE_INT64), "insert");
      hdf5::check(H5Tinsert(type.get(), "acc", 8, H5T_NATIVE_DOUBLE), "insert");
      return type;
    }
    default: {
      const hsize_t length = input.ConsumeIntegralInRange<hsize_t>(1, 4);
      return hdf5::Handle(H5Tarray_create2(H5T_NATIVE_INT64, 1, &length), H5Tclose, "create an array type");
    }
  }
}

// A dataspace of rank 0, 1 or 2; a 1-D one may declare far more rows than it will store.
hdf5::Handle chosen_space(FuzzedDataProvider& input, hsize_t& elements, bool& extendible) {
  const int rank = input.ConsumeIntegralInRange(0, 2);
  extendible = rank == 1 && input.ConsumeBool();
  if (rank == 0) {
    elements = 1;
    return hdf5::Handle(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar space");
  }
  hsize_t dims[2], max_dims[2] = {H5S_UNLIMITED, H5S_UNLIMITED};
  elements = 1;
  for (int d = 0; d < rank; ++d) {
    dims[d] = input.ConsumeIntegralInRange<hsize_t>(0, 6);
    elements *= dims[d];
  }
  return hdf5::Handle(H5Screate_simple(rank, dims, extendible ? max_dims : nullptr), H5Sclose, "create a space");
}

void replace(hid_t file, const std::string& object, FuzzedDataProvider& input) {
  const hdf5::Handle type = chosen_type(input);
  hsize_t elements = 0;
  bool extendible = false;
  const hdf5::Handle space = chosen_space(input, elements, extendible);
  std::string bytes = input.ConsumeBytesAsString(elements * H5Tget_size(type.get()));
  bytes.resize(elements * H5Tget_size(type.get()));
  const auto at = object.find('@');
  if (at != std::string::npos) {
    const std::string group = object.substr(0, at), name = object.substr(at + 1);
    if (H5Aexists_by_name(file, group.c_str(), name.c_str(), H5P_DEFAULT) > 0)
      hdf5::check(H5Adelete_by_name(file, group.c_str(), name.c_str(), H5P_DEFAULT), "delete an attribute");
    const hdf5::Handle attribute(H5Acreate_by_name(file, group.c_str(), name.c_str(), type.get(), space.get(),
                                                   H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                                 H5Aclose, "create an attribute");
    if (elements > 0) hdf5::check(H5Awrite(attribute.get(), type.get(), bytes.data()), "write an attribute");
    return;
  }
  if (H5Lexists(file, object.c_str(), H5P_DEFAULT) > 0) hdf5::check(H5Ldelete(file, object.c_str(), H5P_DEFAULT), "delete");
  const hdf5::Handle create(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create a property list");
  const hsize_t chunk = 4;
  if (extendible) hdf5::check(H5Pset_chunk(create.get(), 1, &chunk), "chunk");
  const hdf5::Handle dataset(H5Dcreate2(file, object.c_str(), type.get(), space.get(), H5P_DEFAULT, create.get(),
                                        H5P_DEFAULT),
                             H5Dclose, "create a dataset");
  if (elements > 0) hdf5::check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()), "write");
  if (extendible && input.ConsumeBool()) {  // rows declared, never written
    const hsize_t rows = input.ConsumeIntegralInRange<hsize_t>(0, hsize_t{1} << 40);
    hdf5::check(H5Dset_extent(dataset.get(), &rows), "extend a dataset");
  }
}

// The same 1-D dataset with another number of rows (its own rows, repeated), or one of its
// numbers overwritten: offsets and tables that no longer agree.
void reshape(hid_t file, const std::string& object, FuzzedDataProvider& input) {
  if (object.find('@') != std::string::npos || H5Lexists(file, object.c_str(), H5P_DEFAULT) <= 0) return;
  const hdf5::Handle dataset = hdf5::open_dataset(file, object);
  const hdf5::Handle file_type(H5Dget_type(dataset.get()), H5Tclose, "get a type");
  const hdf5::Handle type(H5Tget_native_type(file_type.get(), H5T_DIR_ASCEND), H5Tclose, "get a native type");
  const std::size_t rows = hdf5::dataset_rows(dataset.get()), row_bytes = H5Tget_size(type.get());
  std::vector<unsigned char> records(std::max<std::size_t>(rows, 1) * row_bytes);
  if (rows > 0) hdf5::read_records(dataset.get(), type.get(), records.data());
  const std::size_t new_rows = input.ConsumeIntegralInRange<std::size_t>(0, 3 * rows + 2);
  std::vector<unsigned char> reshaped(std::max<std::size_t>(new_rows, 1) * row_bytes);
  for (std::size_t row = 0; row < new_rows && rows > 0; ++row)
    std::memcpy(reshaped.data() + row * row_bytes, records.data() + (row % rows) * row_bytes, row_bytes);
  const bool numbers = H5Tget_class(type.get()) == H5T_INTEGER || H5Tget_class(type.get()) == H5T_FLOAT;
  if (numbers && new_rows > 0 && input.ConsumeBool()) {
    const std::string value = input.ConsumeBytesAsString(row_bytes);
    std::memcpy(reshaped.data() + input.ConsumeIntegralInRange<std::size_t>(0, new_rows - 1) * row_bytes, value.data(),
                value.size());
  }
  hdf5::check(H5Ldelete(file, object.c_str(), H5P_DEFAULT), "delete");
  hdf5::write_records(file, object, type.get(), reshaped.data(), new_rows);
  if (rows > 0) hdf5::reclaim(type.get(), records.data(), rows);  // the copies shared these strings
}

void edit(const std::string& path, FuzzedDataProvider& input) {
  hdf5::start_library();
  const hdf5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose, "open the copy");
  for (int edits = input.ConsumeIntegralInRange(1, 4); edits > 0 && input.remaining_bytes() > 0; --edits) {
    const std::string object = input.PickValueInArray(kObjects);
    switch (input.ConsumeIntegralInRange(0, 2)) {
      case 0:
        if (object.find('@') != std::string::npos)
          H5Adelete_by_name(file.get(), object.substr(0, object.find('@')).c_str(),
                            object.substr(object.find('@') + 1).c_str(), H5P_DEFAULT);
        else
          H5Ldelete(file.get(), object.c_str(), H5P_DEFAULT);
        break;
      case 1: replace(file.get(), object, input); break;
      default: reshape(file.get(), object, input); break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  const std::string path = (fuzz::scratch() / "cell.h5").string();
  std::filesystem::copy_file(base_file(), path, std::filesystem::copy_options::overwrite_existing);
  fuzz::read_or_refuse([&] { edit(path, input); });  // an edit HDF5 refuses, an adversary could not make
  seal_result_file(path);
  fuzz::read_or_refuse([&] { (void)read_result_file(path, /*with_tables=*/true); });
  fuzz::read_or_refuse([&] {
    std::ostringstream shown;
    inspect_result_file(path, "q1", shown);
  });
  fuzz::read_or_refuse([&] {
    std::vector<std::string> skipped;
    const std::vector<ResultFile> results = collect_results({path}, skipped);
    if (!results.empty()) (void)render_report(results, ReportSpec{});
  });
  return 0;
}
