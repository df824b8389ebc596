// Small RAII and I/O helpers over the HDF5 C API, used by the result file writer and reader.
// Every helper checks HDF5's return value and throws hdf5::Error with HDF5's own reason.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace steper::hdf5 {

// What failed and why, e.g. "cannot open '/metrics': object 'metrics' doesn't exist".
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Call before any other HDF5 call. Stops HDF5 printing its error stack to stderr (for the
// calling thread; our exceptions carry the one line that matters) and, once per process, keeps
// libhdf5 from shutting down at exit: after a close that failed (a full disk) the file stays
// half open inside it, and its shutdown would flush that file and crash. Every handle here is
// closed explicitly, so the shutdown has nothing else to do.
void start_library();

// The most specific message on HDF5's error stack (which is then cleared), e.g.
// "truncated file: eof = 1024, sblock->base_addr = 0, stored_eof = 2048".
std::string last_error();

// Owns one HDF5 identifier and closes it with the matching H5?close function.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  // Throws Error("cannot <what>: <reason>") when `id` is negative (the call failed).
  Handle(hid_t id, Closer close, const std::string& what);
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  // Closes now; throws Error when the close fails (for the file, where it writes data).
  void close(const std::string& what);

 private:
  void reset();
  hid_t id_ = H5I_INVALID_HID;
  Closer close_ = nullptr;
};

// Throws Error("cannot <what>: <reason>") when `status` is negative.
void check(herr_t status, const std::string& what);

// File access that locks the file where the file system supports locks and goes on without
// them where it does not (NFS, Lustre), as HDF5_USE_FILE_LOCKING=BEST_EFFORT would.
Handle file_access();

Handle utf8_string_type();  // variable-length, UTF-8
Handle open_group(hid_t parent, const std::string& path);
Handle create_group(hid_t parent, const std::string& path);
Handle open_dataset(hid_t parent, const std::string& path);
// Whether every component of an absolute path such as "/predictions/table" exists.
bool has_path(hid_t file, const std::string& path);
bool has_attribute(hid_t object, const std::string& name);

// The C string HDF5 stores for `text`; throws Error when `text` holds a NUL byte, which HDF5's
// strings would silently cut at.
const char* stored(const std::string& text);

void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, double value);
void write_attribute(hid_t object, const std::string& name, std::int64_t value);
void write_attribute(hid_t object, const std::string& name, std::uint64_t value);
std::string read_string_attribute(hid_t object, const std::string& name);
double read_double_attribute(hid_t object, const std::string& name);
std::int64_t read_int64_attribute(hid_t object, const std::string& name);
std::uint64_t read_uint64_attribute(hid_t object, const std::string& name);

void write_string(hid_t parent, const std::string& path, const std::string& value);  // scalar dataset
std::string read_string(hid_t parent, const std::string& path);
void write_strings(hid_t parent, const std::string& path, const std::vector<std::string>& values);  // 1-D
std::vector<std::string> read_strings(hid_t parent, const std::string& path);
void write_int64s(hid_t parent, const std::string& path, const std::vector<std::int64_t>& values);
std::vector<std::int64_t> read_int64s(hid_t parent, const std::string& path);
void write_doubles(hid_t parent, const std::string& path, const std::vector<double>& values);
std::vector<double> read_doubles(hid_t parent, const std::string& path);

// A 1-D dataset of `rows` records of `type` (the memory layout; stored without padding).
void write_records(hid_t parent, const std::string& path, hid_t type, const void* records, std::size_t rows);
std::size_t dataset_rows(hid_t dataset);
// Reads every record of a 1-D dataset into `records` (room for dataset_rows() of them).
void read_records(hid_t dataset, hid_t type, void* records);
// Frees the variable-length strings HDF5 allocated while reading `rows` records.
void reclaim(hid_t type, void* records, std::size_t rows);

// An empty 1-D dataset that grows one row per append_record call.
Handle create_extendible(hid_t parent, const std::string& path, hid_t type, hsize_t chunk_rows);
void append_record(hid_t dataset, hid_t type, const void* record, hsize_t& rows);

}  // namespace steper::hdf5
