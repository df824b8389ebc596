#include "result_hdf5.hpp"

#include <algorithm>
#include <utility>

namespace steper::hdf5 {
namespace {

herr_t collect_message(unsigned /*depth*/, const H5E_error2_t* error, void* messages) {
  if (error->desc != nullptr && error->desc[0] != '\0')
    static_cast<std::vector<std::string>*>(messages)->emplace_back(error->desc);
  return 0;
}

[[noreturn]] void fail(const std::string& what) { throw Error("cannot " + what + ": " + last_error()); }

// The HDF5 path of an open object, for messages.
std::string name_of(hid_t object) {
  char name[256] = {};
  return H5Iget_name(object, name, sizeof name) > 0 ? name : "a dataset";
}

Handle scalar_space() { return Handle(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace"); }

Handle vector_space(hsize_t rows) {
  return Handle(H5Screate_simple(1, &rows, nullptr), H5Sclose,
                "create a dataspace of " + std::to_string(rows) + " rows");
}

// The type as stored in the file: the memory type without the padding of its structs.
Handle packed(hid_t type) {
  Handle copy(H5Tcopy(type), H5Tclose, "copy a datatype");
  if (H5Tget_class(type) == H5T_COMPOUND) check(H5Tpack(copy.get()), "pack a compound datatype");
  return copy;
}

// The writer stores each row's text once, so all the text of a dataset is smaller than its
// file; rows of a crafted file that all point at one long stored string would otherwise make
// the read allocate without bound. HDF5 measures the text one row at a time.
void check_text_fits_the_file(hid_t dataset, hid_t type) {
  if (H5Tdetect_class(type, H5T_STRING) <= 0 && H5Tdetect_class(type, H5T_VLEN) <= 0) return;
  const std::string name = name_of(dataset);
  const Handle space(H5Dget_space(dataset), H5Sclose, "get the dataspace of '" + name + "'");
  hsize_t text_bytes = 0, file_bytes = 0;
  check(H5Dvlen_get_buf_size(dataset, type, space.get(), &text_bytes), "measure the text of '" + name + "'");
  const Handle file(H5Iget_file_id(dataset), H5Fclose, "get the file of '" + name + "'");
  check(H5Fget_filesize(file.get(), &file_bytes), "get the size of the file holding '" + name + "'");
  if (text_bytes > file_bytes)
    throw Error("'" + name + "' holds " + std::to_string(text_bytes) + " bytes of text in a file of " +
                std::to_string(file_bytes) + " bytes: its rows share stored text");
}

Handle open_attribute(hid_t object, const std::string& name) {
  return Handle(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute '" + name + "'");
}

template <class T>
void write_number_attribute(hid_t object, const std::string& name, hid_t type, T value) {
  const Handle space = scalar_space();
  const Handle attribute(H5Acreate2(object, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                         "create attribute '" + name + "'");
  check(H5Awrite(attribute.get(), type, &value), "write attribute '" + name + "'");
}

// A hostile file may store an array, or a type of another class, where one value is expected;
// HDF5 would then write every element into the one value's memory.
void require_one_value(hid_t space, hid_t stored_type, H5T_class_t expected, const std::string& what) {
  const hssize_t values = H5Sget_simple_extent_npoints(space);
  if (values != 1) throw Error(what + " holds " + std::to_string(values) + " values, expected one");
  const H5T_class_t stored = H5Tget_class(stored_type);
  const bool numeric = stored == H5T_INTEGER || stored == H5T_FLOAT;
  if (expected == H5T_STRING ? stored != H5T_STRING || H5Tis_variable_str(stored_type) <= 0 : !numeric)
    throw Error(what + " is not " + (expected == H5T_STRING ? "a variable-length string" : "a number"));
}

void require_one_attribute_value(hid_t attribute, H5T_class_t expected, const std::string& name) {
  const Handle space(H5Aget_space(attribute), H5Sclose, "get the dataspace of attribute '" + name + "'");
  const Handle file_type(H5Aget_type(attribute), H5Tclose, "get the type of attribute '" + name + "'");
  require_one_value(space.get(), file_type.get(), expected, "attribute '" + name + "'");
}

void require_strings(hid_t dataset, const std::string& path) {
  const Handle file_type(H5Dget_type(dataset), H5Tclose, "get the type of '" + path + "'");
  if (H5Tget_class(file_type.get()) != H5T_STRING || H5Tis_variable_str(file_type.get()) <= 0)
    throw Error("'" + path + "' does not hold variable-length strings");
}

template <class T>
T read_number_attribute(hid_t object, const std::string& name, hid_t type) {
  const Handle attribute = open_attribute(object, name);
  require_one_attribute_value(attribute.get(), H5T_FLOAT, name);
  T value{};
  check(H5Aread(attribute.get(), type, &value), "read attribute '" + name + "' as a number");
  return value;
}

Handle create_dataset(hid_t parent, const std::string& path, hid_t file_type, hid_t space,
                      hid_t create_list = H5P_DEFAULT) {
  return Handle(H5Dcreate2(parent, path.c_str(), file_type, space, H5P_DEFAULT, create_list, H5P_DEFAULT), H5Dclose,
                "create '" + path + "'");
}

}  // namespace

const char* stored(const std::string& text) {
  if (const auto nul = text.find('\0'); nul != std::string::npos)
    throw Error("cannot store a text holding a NUL byte at offset " + std::to_string(nul) + " (it would be cut there): \"" +
                text.substr(0, std::min<std::size_t>(nul, 60)) + "\"");
  return text.c_str();
}

void start_library() {
  static const herr_t no_shutdown = H5dont_atexit();  // fails when HDF5 has started already
  (void)no_shutdown;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

std::string last_error() {
  std::vector<std::string> messages;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect_message, &messages);
  H5Eclear2(H5E_DEFAULT);
  return messages.empty() ? "HDF5 gave no reason" : messages.front();
}

Handle::Handle(hid_t id, Closer close, const std::string& what) : id_(id), close_(close) {
  if (id_ < 0) fail(what);
}

Handle::Handle(Handle&& other) noexcept
    : id_(std::exchange(other.id_, H5I_INVALID_HID)), close_(std::exchange(other.close_, nullptr)) {}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    close_ = std::exchange(other.close_, nullptr);
  }
  return *this;
}

void Handle::reset() {
  if (id_ >= 0 && close_ != nullptr) close_(id_);
  id_ = H5I_INVALID_HID;
}

void Handle::close(const std::string& what) {
  const hid_t id = std::exchange(id_, H5I_INVALID_HID);
  if (id >= 0 && close_ != nullptr) check(close_(id), what);
}

void check(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

Handle file_access() {
  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create a file access property list");
  check(H5Pset_file_locking(access.get(), /*use_file_locking=*/true, /*ignore_when_disabled=*/true),
        "set file locking to best effort");
  return access;
}

Handle utf8_string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy the string datatype");
  check(H5Tset_size(type.get(), H5T_VARIABLE), "make a variable-length string datatype");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "set the UTF-8 character set");
  return type;
}

Handle open_group(hid_t parent, const std::string& path) {
  return Handle(H5Gopen2(parent, path.c_str(), H5P_DEFAULT), H5Gclose, "open '" + path + "'");
}

Handle create_group(hid_t parent, const std::string& path) {
  return Handle(H5Gcreate2(parent, path.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                "create '" + path + "'");
}

Handle open_dataset(hid_t parent, const std::string& path) {
  return Handle(H5Dopen2(parent, path.c_str(), H5P_DEFAULT), H5Dclose, "open '" + path + "'");
}

bool has_path(hid_t file, const std::string& path) {
  std::size_t end = 0;
  while (end != std::string::npos) {
    end = path.find('/', end + 1);
    const std::string prefix = path.substr(0, end);
    if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
  }
  return true;
}

bool has_attribute(hid_t object, const std::string& name) { return H5Aexists(object, name.c_str()) > 0; }

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
  const Handle type = utf8_string_type();
  const Handle space = scalar_space();
  const Handle attribute(H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                         "create attribute '" + name + "'");
  const char* text = stored(value);
  check(H5Awrite(attribute.get(), type.get(), &text), "write attribute '" + name + "'");
}

void write_attribute(hid_t object, const std::string& name, double value) {
  write_number_attribute(object, name, H5T_NATIVE_DOUBLE, value);
}
void write_attribute(hid_t object, const std::string& name, std::int64_t value) {
  write_number_attribute(object, name, H5T_NATIVE_INT64, value);
}
void write_attribute(hid_t object, const std::string& name, std::uint64_t value) {
  write_number_attribute(object, name, H5T_NATIVE_UINT64, value);
}

std::string read_string_attribute(hid_t object, const std::string& name) {
  const Handle attribute = open_attribute(object, name);
  require_one_attribute_value(attribute.get(), H5T_STRING, name);
  const Handle type = utf8_string_type();
  char* text = nullptr;
  check(H5Aread(attribute.get(), type.get(), &text), "read attribute '" + name + "' as a variable-length string");
  std::string value = text != nullptr ? text : "";
  reclaim(type.get(), &text, 1);
  return value;
}

double read_double_attribute(hid_t object, const std::string& name) {
  return read_number_attribute<double>(object, name, H5T_NATIVE_DOUBLE);
}
std::int64_t read_int64_attribute(hid_t object, const std::string& name) {
  return read_number_attribute<std::int64_t>(object, name, H5T_NATIVE_INT64);
}
std::uint64_t read_uint64_attribute(hid_t object, const std::string& name) {
  return read_number_attribute<std::uint64_t>(object, name, H5T_NATIVE_UINT64);
}

void write_string(hid_t parent, const std::string& path, const std::string& value) {
  const Handle type = utf8_string_type();
  const Handle space = scalar_space();
  const Handle dataset = create_dataset(parent, path, type.get(), space.get());
  const char* text = stored(value);
  check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), "write '" + path + "'");
}

std::string read_string(hid_t parent, const std::string& path) {
  const Handle dataset = open_dataset(parent, path);
  {
    const Handle space(H5Dget_space(dataset.get()), H5Sclose, "get the dataspace of '" + path + "'");
    const Handle file_type(H5Dget_type(dataset.get()), H5Tclose, "get the type of '" + path + "'");
    require_one_value(space.get(), file_type.get(), H5T_STRING, "'" + path + "'");
  }
  const Handle type = utf8_string_type();
  char* text = nullptr;
  check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text),
        "read '" + path + "' as a variable-length string");
  std::string value = text != nullptr ? text : "";
  reclaim(type.get(), &text, 1);
  return value;
}

void write_strings(hid_t parent, const std::string& path, const std::vector<std::string>& values) {
  std::vector<const char*> texts;
  texts.reserve(values.size());
  for (const auto& value : values) texts.push_back(stored(value));
  const Handle type = utf8_string_type();
  write_records(parent, path, type.get(), texts.data(), texts.size());
}

std::vector<std::string> read_strings(hid_t parent, const std::string& path) {
  const Handle dataset = open_dataset(parent, path);
  require_strings(dataset.get(), path);
  const Handle type = utf8_string_type();
  std::vector<char*> texts(dataset_rows(dataset.get()), nullptr);
  read_records(dataset.get(), type.get(), texts.data());
  std::vector<std::string> values;
  values.reserve(texts.size());
  for (const char* text : texts) values.emplace_back(text != nullptr ? text : "");
  reclaim(type.get(), texts.data(), texts.size());
  return values;
}

void write_int64s(hid_t parent, const std::string& path, const std::vector<std::int64_t>& values) {
  write_records(parent, path, H5T_NATIVE_INT64, values.data(), values.size());
}

std::vector<std::int64_t> read_int64s(hid_t parent, const std::string& path) {
  const Handle dataset = open_dataset(parent, path);
  std::vector<std::int64_t> values(dataset_rows(dataset.get()));
  read_records(dataset.get(), H5T_NATIVE_INT64, values.data());
  return values;
}

void write_doubles(hid_t parent, const std::string& path, const std::vector<double>& values) {
  write_records(parent, path, H5T_NATIVE_DOUBLE, values.data(), values.size());
}

std::vector<double> read_doubles(hid_t parent, const std::string& path) {
  const Handle dataset = open_dataset(parent, path);
  std::vector<double> values(dataset_rows(dataset.get()));
  read_records(dataset.get(), H5T_NATIVE_DOUBLE, values.data());
  return values;
}

void write_records(hid_t parent, const std::string& path, hid_t type, const void* records, std::size_t rows) {
  const Handle file_type = packed(type);
  const Handle space = vector_space(rows);
  const Handle dataset = create_dataset(parent, path, file_type.get(), space.get());
  if (rows > 0) check(H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, records), "write '" + path + "'");
}

std::size_t dataset_rows(hid_t dataset) {
  const Handle space(H5Dget_space(dataset), H5Sclose, "get the dataspace of '" + name_of(dataset) + "'");
  const int dimensions = H5Sget_simple_extent_ndims(space.get());
  if (dimensions != 1)
    throw Error("'" + name_of(dataset) + "' has " + std::to_string(dimensions) + " dimensions, expected 1");
  hsize_t rows = 0;
  check(H5Sget_simple_extent_dims(space.get(), &rows, nullptr), "get the size of '" + name_of(dataset) + "'");
  // The writer never compresses, so every row it declares is stored: a file that declares more
  // rows than it stores (a sparse or compressed dataset) would make the reader allocate for them.
  const Handle file_type(H5Dget_type(dataset), H5Tclose, "get the type of '" + name_of(dataset) + "'");
  const hsize_t row_bytes = H5Tget_size(file_type.get());
  const hsize_t stored_bytes = H5Dget_storage_size(dataset);
  if (row_bytes == 0 || rows > stored_bytes / row_bytes)
    throw Error("'" + name_of(dataset) + "' declares " + std::to_string(rows) + " rows of " +
                std::to_string(row_bytes) + " bytes but stores " + std::to_string(stored_bytes) + " bytes");
  return static_cast<std::size_t>(rows);
}

void read_records(hid_t dataset, hid_t type, void* records) {
  if (dataset_rows(dataset) == 0) return;
  check_text_fits_the_file(dataset, type);
  check(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, records), "read '" + name_of(dataset) + "'");
}

void reclaim(hid_t type, void* records, std::size_t rows) {
  if (rows == 0) return;
  const Handle space = rows == 1 ? scalar_space() : vector_space(rows);
#if H5_VERSION_GE(1, 12, 0)
  H5Treclaim(type, space.get(), H5P_DEFAULT, records);
#else
  H5Dvlen_reclaim(type, space.get(), H5P_DEFAULT, records);
#endif
}

Handle create_extendible(hid_t parent, const std::string& path, hid_t type, hsize_t chunk_rows) {
  const Handle file_type = packed(type);
  const hsize_t rows = 0, max_rows = H5S_UNLIMITED;
  const Handle space(H5Screate_simple(1, &rows, &max_rows), H5Sclose, "create an extendible dataspace");
  const Handle create_list(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create a dataset property list");
  check(H5Pset_chunk(create_list.get(), 1, &chunk_rows), "set the chunk size of '" + path + "'");
  return create_dataset(parent, path, file_type.get(), space.get(), create_list.get());
}

void append_record(hid_t dataset, hid_t type, const void* record, hsize_t& rows) {
  const std::string name = name_of(dataset);
  const hsize_t new_rows = rows + 1, one = 1;
  check(H5Dset_extent(dataset, &new_rows), "extend '" + name + "' to " + std::to_string(new_rows) + " rows");
  const Handle file_space(H5Dget_space(dataset), H5Sclose, "get the dataspace of '" + name + "'");
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &rows, nullptr, &one, nullptr),
        "select row " + std::to_string(rows) + " of '" + name + "'");
  const Handle memory_space = vector_space(1);
  check(H5Dwrite(dataset, type, memory_space.get(), file_space.get(), H5P_DEFAULT, record),
        "write row " + std::to_string(rows) + " of '" + name + "'");
  rows = new_rows;
}

}  // namespace steper::hdf5
