// Family: complaints. (Being written; the catalogue lists the family's models here.)
#include "models/families.h"

namespace qf::models {

void RegisterComplaintsModels(ModelList* /*out*/) {}

}  // namespace qf::models
