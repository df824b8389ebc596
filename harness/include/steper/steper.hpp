// Everything a plugin may include, in one header (except steper/trainable.hpp and
// steper/loss.hpp, which bring in ATen).
#pragma once

#include "steper/api.hpp"
#include "steper/context.hpp"
#include "steper/dataset.hpp"
#include "steper/framework.hpp"
#include "steper/metrics.hpp"
#include "steper/model.hpp"
#include "steper/retriever.hpp"
#include "steper/settings.hpp"
#include "steper/types.hpp"
