// Family: party. (Being written; the catalogue lists the family's models here.)
#include "models/families.h"

namespace qf::models {

void RegisterPartyModels(ModelList* /*out*/) {}

}  // namespace qf::models
