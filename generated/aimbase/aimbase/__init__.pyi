"""What type checkers see of aimbase: __init__.py loads these names lazily."""

from .client import AimbaseClient as AimbaseClient
from .client import AsyncAimbaseClient as AsyncAimbaseClient
from .client.brand import AsyncBrandCollection as AsyncBrandCollection
from .client.brand import AsyncBrandItem as AsyncBrandItem
from .client.brand import AsyncBrandsEntitySet as AsyncBrandsEntitySet
from .client.company import AsyncCompaniesEntitySet as AsyncCompaniesEntitySet
from .client.company import AsyncCompanyCollection as AsyncCompanyCollection
from .client.company import AsyncCompanyItem as AsyncCompanyItem
from .client.dealer import AsyncDealerCollection as AsyncDealerCollection
from .client.dealer import AsyncDealerItem as AsyncDealerItem
from .client.dealer import AsyncDealersEntitySet as AsyncDealersEntitySet
from .client.lead import AsyncLeadCollection as AsyncLeadCollection
from .client.lead import AsyncLeadItem as AsyncLeadItem
from .client.lead import AsyncLeadsEntitySet as AsyncLeadsEntitySet
from .client.product_category import (
    AsyncProductCategoriesEntitySet as AsyncProductCategoriesEntitySet,
)
from .client.product_category import (
    AsyncProductCategoryCollection as AsyncProductCategoryCollection,
)
from .client.product_category import (
    AsyncProductCategoryItem as AsyncProductCategoryItem,
)
from .client.product import AsyncProductCollection as AsyncProductCollection
from .client.product import AsyncProductItem as AsyncProductItem
from .client.product import AsyncProductsEntitySet as AsyncProductsEntitySet
from .client.prospect import AsyncProspectCollection as AsyncProspectCollection
from .client.prospect import AsyncProspectItem as AsyncProspectItem
from .client.prospect import AsyncProspectsEntitySet as AsyncProspectsEntitySet
from .models.brand import Brand as Brand
from .client.brand import BrandCollection as BrandCollection
from .client.brand import BrandItem as BrandItem
from .client.brand import BrandsEntitySet as BrandsEntitySet
from .client.company import CompaniesEntitySet as CompaniesEntitySet
from .models.company import Company as Company
from .client.company import CompanyCollection as CompanyCollection
from .client.company import CompanyItem as CompanyItem
from .models.customs import Customs as Customs
from .models.dealer import Dealer as Dealer
from .client.dealer import DealerCollection as DealerCollection
from .client.dealer import DealerItem as DealerItem
from .client.dealer import DealersEntitySet as DealersEntitySet
from .models.lead import Lead as Lead
from .client.lead import LeadCollection as LeadCollection
from .client.lead import LeadItem as LeadItem
from .client.lead import LeadsEntitySet as LeadsEntitySet
from .models.metadata import Metadata as Metadata
from .models.product import Product as Product
from .client.product_category import (
    ProductCategoriesEntitySet as ProductCategoriesEntitySet,
)
from .models.product_category import ProductCategory as ProductCategory
from .client.product_category import (
    ProductCategoryCollection as ProductCategoryCollection,
)
from .client.product_category import ProductCategoryItem as ProductCategoryItem
from .client.product import ProductCollection as ProductCollection
from .client.product import ProductItem as ProductItem
from .client.product import ProductsEntitySet as ProductsEntitySet
from .models.prospect import Prospect as Prospect
from .client.prospect import ProspectCollection as ProspectCollection
from .client.prospect import ProspectItem as ProspectItem
from .client.prospect import ProspectsEntitySet as ProspectsEntitySet
from .models.brand import QBrand as QBrand
from .models.company import QCompany as QCompany
from .models.customs import QCustoms as QCustoms
from .models.dealer import QDealer as QDealer
from .models.lead import QLead as QLead
from .models.metadata import QMetadata as QMetadata
from .models.product import QProduct as QProduct
from .models.product_category import QProductCategory as QProductCategory
from .models.prospect import QProspect as QProspect
from codegen.runtime import AuthenticationError as AuthenticationError
from codegen.runtime import AvalaApiAuth as AvalaApiAuth
from codegen.runtime import AvalaApiLogin as AvalaApiLogin
from codegen.runtime import BadRequestError as BadRequestError
from codegen.runtime import BearerAuth as BearerAuth
from codegen.runtime import ClientValidationError as ClientValidationError
from codegen.runtime import ConflictError as ConflictError
from codegen.runtime import DeadlineExceededError as DeadlineExceededError
from codegen.runtime import DeserializationError as DeserializationError
from codegen.runtime import ForbiddenError as ForbiddenError
from codegen.runtime import HTTPError as HTTPError
from codegen.runtime import HeaderAuth as HeaderAuth
from codegen.runtime import MalformedResponseError as MalformedResponseError
from codegen.runtime import NotFoundError as NotFoundError
from codegen.runtime import ODataError as ODataError
from codegen.runtime import PagingError as PagingError
from codegen.runtime import PreconditionFailedError as PreconditionFailedError
from codegen.runtime import RateLimitedError as RateLimitedError
from codegen.runtime import RequestTimeoutError as RequestTimeoutError
from codegen.runtime import ResponseDeserializationError as ResponseDeserializationError
from codegen.runtime import ResponseTooLargeError as ResponseTooLargeError
from codegen.runtime import RetryPolicy as RetryPolicy
from codegen.runtime import ServerError as ServerError
from codegen.runtime import TransportError as TransportError
from codegen.runtime import UNSET as UNSET
from codegen.runtime import UnsafeRedirectError as UnsafeRedirectError
from codegen.runtime import Unset as Unset
from codegen.runtime import structure as structure
from codegen.runtime import unstructure as unstructure
from codegen.runtime.query import Query as Query
from codegen.runtime.query import asc as asc
from codegen.runtime.query import desc as desc
from codegen.runtime.query import expand as expand

__generator_version__: str
__all__ = [
    "AimbaseClient",
    "AsyncAimbaseClient",
    "AsyncBrandCollection",
    "AsyncBrandItem",
    "AsyncBrandsEntitySet",
    "AsyncCompaniesEntitySet",
    "AsyncCompanyCollection",
    "AsyncCompanyItem",
    "AsyncDealerCollection",
    "AsyncDealerItem",
    "AsyncDealersEntitySet",
    "AsyncLeadCollection",
    "AsyncLeadItem",
    "AsyncLeadsEntitySet",
    "AsyncProductCategoriesEntitySet",
    "AsyncProductCategoryCollection",
    "AsyncProductCategoryItem",
    "AsyncProductCollection",
    "AsyncProductItem",
    "AsyncProductsEntitySet",
    "AsyncProspectCollection",
    "AsyncProspectItem",
    "AsyncProspectsEntitySet",
    "Brand",
    "BrandCollection",
    "BrandItem",
    "BrandsEntitySet",
    "CompaniesEntitySet",
    "Company",
    "CompanyCollection",
    "CompanyItem",
    "Customs",
    "Dealer",
    "DealerCollection",
    "DealerItem",
    "DealersEntitySet",
    "Lead",
    "LeadCollection",
    "LeadItem",
    "LeadsEntitySet",
    "Metadata",
    "Product",
    "ProductCategoriesEntitySet",
    "ProductCategory",
    "ProductCategoryCollection",
    "ProductCategoryItem",
    "ProductCollection",
    "ProductItem",
    "ProductsEntitySet",
    "Prospect",
    "ProspectCollection",
    "ProspectItem",
    "ProspectsEntitySet",
    "QBrand",
    "QCompany",
    "QCustoms",
    "QDealer",
    "QLead",
    "QMetadata",
    "QProduct",
    "QProductCategory",
    "QProspect",
]
__odata_types__: dict[str, str]
