// Family: procurement. (Being written; the catalogue lists the family's models here.)
#include "models/families.h"

namespace qf::models {

void RegisterProcurementModels(ModelList* /*out*/) {}

}  // namespace qf::models
