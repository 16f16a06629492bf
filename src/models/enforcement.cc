// Family: enforcement. (Being written; the catalogue lists the family's models here.)
#include "models/families.h"

namespace qf::models {

void RegisterEnforcementModels(ModelList* /*out*/) {}

}  // namespace qf::models
